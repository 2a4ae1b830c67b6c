package mapping

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// treeString renders a source tree compactly: Name(key=..., ...) for
// functions, [attr] and "const".
func treeString(s *AttributeMappingSource) string {
	switch s.kind() {
	case SourceAttribute:
		return "[" + s.Name + "]"
	case SourceConstant:
		return `"` + s.Name + `"`
	}
	parts := make([]string, len(s.Parameters))
	for i, p := range s.Parameters {
		parts[i] = p.Key + "=" + treeString(p.Value)
	}
	return s.Name + "(" + strings.Join(parts, ", ") + ")"
}

func TestSourceFromExpression(t *testing.T) {
	tests := []struct {
		name, text, tree string
	}{
		{"attribute", "[mail]", "[mail]"},
		{"constant", `"Contoso"`, `"Contoso"`},
		{"numbers become constants", "Mid([userPrincipalName], 1, 8)", `Mid(source=[userPrincipalName], start="1", length="8")`},
		{"Replace with empty parameters", `Replace([preferredLanguage], "-", , , "_", , )`, `Replace(source=[preferredLanguage], Find="-", Replacement="_")`},
		{"Replace regex form", `Replace([phone], , "\\+1\\s", , "", , )`, `Replace(source=[phone], RegularExpression="\+1\s", Replacement="")`},
		{"Switch with empty default", `Switch([IsSoftDeleted], , "False", "True", "True", "False")`, `Switch(source=[IsSoftDeleted], switchValue="False", switchValue="True", switchValue="True", switchValue="False")`},
		{"Switch with default", `Switch([c], "Other", "US", "United States")`, `Switch(source=[c], defaultValue="Other", switchValue="US", switchValue="United States")`},
		{"nested", `Join("@", NormalizeDiacritics(StripSpaces([givenName])), "contoso.com")`, `Join(separator="@", source=NormalizeDiacritics(source=StripSpaces(source=[givenName])), source="contoso.com")`},
		{"canonical names", `join(",", [a], [b])`, `Join(separator=",", source=[a], source=[b])`},
		{"FormatDateTime three arguments", `FormatDateTime([d], "yyyyMMdd", "yyyy-MM-dd")`, `FormatDateTime(source=[d], inputFormat="yyyyMMdd", outputFormat="yyyy-MM-dd")`},
		{"app role", "SingleAppRoleAssignment([appRoleAssignments])", "SingleAppRoleAssignment(source=[appRoleAssignments])"},
		{"enum word", `InStr([a], "x", 1, vbTextCompare)`, `InStr(value1=[a], value2="x", start="1", compareType="vbTextCompare")`},
		{"operator", `IIF([country] = "USA", "US", "Other")`, `IIF(condition==(left=[country], right="USA"), valueIfTrue="US", valueIfFalse="Other")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := SourceFromExpression(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.tree, treeString(src)); diff != "" {
				t.Errorf("tree (-want +got):\n%s", diff)
			}
			if src.Expression != tt.text {
				t.Errorf("root expression %q, want the text as given", src.Expression)
			}
			// Tree → text → tree is the identity, and the text compiles to
			// the same meaning.
			src.Expression = ""
			text, err := src.Text()
			if err != nil {
				t.Fatalf("Text: %v", err)
			}
			if !sameMeaning(tt.text, text) {
				t.Errorf("Text() = %q, which means something else than %q", text, tt.text)
			}
			back, err := SourceFromExpression(text)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.tree, treeString(back)); diff != "" {
				t.Errorf("text %q gives another tree (-want +got):\n%s", text, diff)
			}
		})
	}
}

// TestSourceText reads trees as Graph and people write them.
func TestSourceText(t *testing.T) {
	attr := func(n string) *AttributeMappingSource { return &AttributeMappingSource{Name: n, Type: SourceAttribute} }
	konst := func(v, e string) *AttributeMappingSource {
		return &AttributeMappingSource{Name: v, Type: SourceConstant, Expression: e}
	}
	fn := func(name string, kv ...any) *AttributeMappingSource {
		s := &AttributeMappingSource{Name: name, Type: SourceFunction}
		for i := 0; i < len(kv); i += 2 {
			s.Parameters = append(s.Parameters, Parameter{Key: kv[i].(string), Value: kv[i+1].(*AttributeMappingSource)})
		}
		return s
	}
	tests := []struct {
		name    string
		src     *AttributeMappingSource
		want    string
		wantErr string
	}{
		{"Graph Replace keys", fn("Replace", "source", attr("preferredLanguage"), "Find", konst("-", `"-"`), "Replacement", konst("_", `"_"`)), `Replace([preferredLanguage], "-", , , "_", , )`, ""},
		{"reference parameter names", fn("Replace", "source", attr("a"), "oldValue", konst("-", ""), "replacementValue", konst("_", "")), `Replace([a], "-", , , "_", , )`, ""},
		{"keys in any order and case", fn("Mid", "LENGTH", konst("8", `"8"`), "source", attr("upn"), "start", konst("1", `1`)), `Mid([upn], 1, "8")`, ""},
		{"Switch key/value aliases", fn("Switch", "source", attr("c"), "key", konst("US", ""), "value", konst("United States", "")), `Switch([c], , "US", "United States")`, ""},
		{"type defaults to Attribute", &AttributeMappingSource{Name: "mail"}, "[mail]", ""},
		{"expression only", &AttributeMappingSource{Expression: `Trim([a])`}, "Trim([a])", ""},
		{"expression kept when equivalent", &AttributeMappingSource{Name: "Mid", Type: SourceFunction, Expression: "Mid([u], 1, 8)", Parameters: []Parameter{
			{Key: "source", Value: attr("u")}, {Key: "start", Value: konst("1", `"1"`)}, {Key: "length", Value: konst("8", `"8"`)}}}, "Mid([u], 1, 8)", ""},
		{"unknown key", fn("Mid", "source", attr("u"), "begin", konst("1", "")), "", `parameters[1].key: unknown parameter "begin" for Mid (expected one of source, start, length)`},
		{"key given twice", fn("Not", "source", attr("a"), "source", attr("b")), "", `parameters[1].key: parameter "source" of Not given twice`},
		{"nested error path", fn("Not", "source", &AttributeMappingSource{Type: SourceFunction}), "", `parameters[0].value.name: function source without a name`},
		{"unknown type", &AttributeMappingSource{Name: "x", Type: "Lookup"}, "", `type: unknown source type "Lookup" (expected Attribute, Constant or Function)`},
		{"empty", &AttributeMappingSource{}, "", "source has neither a name nor an expression"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.src.Text()
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if diff := cmp.Diff(tt.wantErr, gotErr); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("text (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSourceCheck(t *testing.T) {
	agree, _ := SourceFromExpression(`Join(" ", [givenName], [surname])`)
	if err := agree.Check(); err != nil {
		t.Errorf("Check on a consistent source: %v", err)
	}
	// A text that does not compile beside a tree that does: the service
	// uses the tree, and the text must not pass silently.
	typo, _ := SourceFromExpression(`Switch([a], "x", "1", "one")`)
	typo.Expression = `Swtich([a], "x", "1", "one")`
	if err := typo.Check(); err == nil || !strings.Contains(err.Error(), `expression "Swtich([a], \"x\", \"1\", \"one\")" does not compile`) || !strings.Contains(err.Error(), "the service uses the tree") {
		t.Errorf("Check of a text that does not compile = %v", err)
	}
	disagree, _ := SourceFromExpression(`Join(" ", [givenName], [surname])`)
	disagree.Expression = `Join(" ", [surname], [givenName])`
	want := `expression "Join(\" \", [surname], [givenName])" and its tree "Join(\" \", [givenName], [surname])" disagree; the service uses the tree`
	if err := disagree.Check(); err == nil || err.Error() != want {
		t.Errorf("Check = %v, want %s", err, want)
	}
}
