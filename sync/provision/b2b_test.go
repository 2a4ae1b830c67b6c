package provision

import "testing"

func TestGuestUPN(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"anna_fabrikam.com#EXT#@contoso.onmicrosoft.com", "anna@fabrikam.com", true},
		{"john_doe_gmail.com#EXT#@contoso.com", "john_doe@gmail.com", true}, // the last underscore
		{"Anna_Fabrikam.com#ext#@contoso.com", "Anna@Fabrikam.com", true},
		{"anna@contoso.com", "", false},
		{"#EXT#@contoso.com", "", false},
		{"anna#EXT#@contoso.com", "", false}, // no e-mail address in it
		{"anna_#EXT#@contoso.com", "", false},
	} {
		got, ok := guestUPN(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("guestUPN(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
