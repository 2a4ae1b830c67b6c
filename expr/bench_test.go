package expr

import "testing"

const benchUPN = `Join("@", NormalizeDiacritics(StripSpaces(Join(".", [PreferredFirstName], [PreferredLastName]))), "contoso.com")`

const benchSwitch = `Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney", "QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")`

func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(benchUPN); err != nil {
			b.Fatal(err)
		}
	}
}

func benchEval(b *testing.B, src string, env Env) {
	p := MustCompile(src)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := p.Eval(env); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEval(b *testing.B) {
	b.Run("upn", func(b *testing.B) {
		benchEval(b, benchUPN, MapEnv{"PreferredFirstName": String("John"), "PreferredLastName": String("Smith")})
	})
	b.Run("upn-diacritics", func(b *testing.B) {
		benchEval(b, benchUPN, MapEnv{"PreferredFirstName": String("Zoë"), "PreferredLastName": String("Van der Berg")})
	})
	b.Run("switch", func(b *testing.B) {
		benchEval(b, benchSwitch, MapEnv{"state": String("QLD")})
	})
	b.Run("replace-lower", func(b *testing.B) {
		benchEval(b, `ToLower(Replace([mail], "@old.com", , , "@new.com", , ))`, MapEnv{"mail": String("John.Smith@old.com")})
	})
	b.Run("join-multi", func(b *testing.B) {
		benchEval(b, `Join(";", [proxyAddresses], ToLower([mail]))`, MapEnv{"proxyAddresses": Multi{"SMTP:a@contoso.com", "smtp:b@contoso.com"}, "mail": String("A@Contoso.com")})
	})
	b.Run("upn-map-input", func(b *testing.B) {
		benchEval(b, benchUPN, NewEnv(map[string]any{"PreferredFirstName": "John", "PreferredLastName": "Smith", "mail": "John.Smith@old.com", "state": "QLD"}))
	})
	b.Run("iif", func(b *testing.B) {
		benchEval(b, `IIF([country]="USA",[country],[department])`, MapEnv{"country": String("USA"), "department": String("Sales")})
	})
}

// TestSwitchAllocs holds the bound: at most 2 allocations to
// evaluate a Switch on a string attribute.
func TestSwitchAllocs(t *testing.T) {
	p := MustCompile(benchSwitch)
	env := MapEnv{"state": String("QLD")}
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := p.Eval(env); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 2 {
		t.Errorf("Switch allocates %.1f times per evaluation, want at most 2", allocs)
	}
}
