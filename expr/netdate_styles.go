package expr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/attrmap/attrmap/internal/diag"
)

// DateTimeStyles, the flags of DateTime.ParseExact.

// dateStyles is .NET's DateTimeStyles flags enumeration.
type dateStyles uint16

// The DateTimeStyles values, with .NET's numbers.
const (
	styleNone                 dateStyles = 0
	styleAllowLeadingWhite    dateStyles = 1
	styleAllowTrailingWhite   dateStyles = 2
	styleAllowInnerWhite      dateStyles = 4
	styleAllowWhiteSpaces     dateStyles = 7
	styleNoCurrentDateDefault dateStyles = 8
	styleAdjustToUniversal    dateStyles = 16
	styleAssumeLocal          dateStyles = 32
	styleAssumeUniversal      dateStyles = 64
	styleRoundtripKind        dateStyles = 128
)

// defaultDateStyles is what FormatDateTime uses when its dateTimeStyles
// argument is empty, per the functions reference.
const defaultDateStyles = styleRoundtripKind | styleAllowLeadingWhite | styleAllowTrailingWhite

var styleNames = []struct {
	name string
	v    dateStyles
}{
	{"None", styleNone},
	{"AllowLeadingWhite", styleAllowLeadingWhite},
	{"AllowTrailingWhite", styleAllowTrailingWhite},
	{"AllowInnerWhite", styleAllowInnerWhite},
	{"AllowWhiteSpaces", styleAllowWhiteSpaces},
	{"NoCurrentDateDefault", styleNoCurrentDateDefault},
	{"AdjustToUniversal", styleAdjustToUniversal},
	{"AssumeLocal", styleAssumeLocal},
	{"AssumeUniversal", styleAssumeUniversal},
	{"RoundtripKind", styleRoundtripKind},
}

// parseDateStyles parses a DateTimeStyles value the way Enum.Parse does:
// names separated by commas (we also accept "|" and "+"), case-insensitive,
// optionally prefixed with "DateTimeStyles.", or a number. An empty string
// is the FormatDateTime default. Invalid combinations are rejected as
// DateTime.ParseExact rejects them.
func parseDateStyles(s string) (dateStyles, error) {
	if strings.TrimSpace(s) == "" {
		return defaultDateStyles, nil
	}
	var st dateStyles
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '|' || r == '+' }) {
		part = strings.TrimSpace(part)
		if len(part) > len("DateTimeStyles.") && strings.EqualFold(part[:len("DateTimeStyles.")], "DateTimeStyles.") {
			part = part[len("DateTimeStyles."):]
		}
		if n, err := strconv.ParseUint(part, 10, 16); err == nil {
			if n&^0xFF != 0 {
				return 0, fmt.Errorf("invalid DateTimeStyles value %d", n)
			}
			st |= dateStyles(n)
			continue
		}
		found := false
		for _, sn := range styleNames {
			if strings.EqualFold(part, sn.name) {
				st |= sn.v
				found = true
				break
			}
		}
		if !found {
			names := make([]string, len(styleNames))
			for i, sn := range styleNames {
				names[i] = sn.name
			}
			msg := fmt.Sprintf("unknown DateTimeStyles %q (expected a comma-separated list of %s)", part, strings.Join(names, ", "))
			hint := diag.Suggest(part, names)
			for _, n := range names {
				if hint == "" && len(part) >= 3 && strings.HasPrefix(strings.ToLower(n), strings.ToLower(part)) {
					hint = n
				}
			}
			if hint != "" {
				return 0, &suggestError{msg: msg, hint: fmt.Sprintf("did you mean %q?", hint)}
			}
			return 0, errors.New(msg)
		}
	}
	if st&styleAssumeLocal != 0 && st&styleAssumeUniversal != 0 {
		return 0, errors.New("DateTimeStyles AssumeLocal and AssumeUniversal cannot be combined")
	}
	if st&styleRoundtripKind != 0 && st&(styleAssumeLocal|styleAssumeUniversal|styleAdjustToUniversal) != 0 {
		return 0, errors.New("DateTimeStyles RoundtripKind cannot be combined with AssumeLocal, AssumeUniversal or AdjustToUniversal")
	}
	return st, nil
}

// errDateMismatch is DateTime.ParseExact's FormatException for a string
