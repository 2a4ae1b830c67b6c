package mapping

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/attrmap/attrmap/expr"
	"github.com/google/go-cmp/cmp"
)

// applyDoc is a SCIM-like object mapping with one mapping per rule that
// Apply implements. Target definitions: emails is multi-valued, externalId
// is caseExact.
const applyDoc = `{
  "directories": [
    {"name": "app", "objects": [{"name": "User", "attributes": [
      {"name": "userName"}, {"name": "active", "type": "Boolean"}, {"name": "displayName"},
      {"name": "externalId", "caseExact": true}, {"name": "emails", "multivalued": true},
      {"name": "title"}, {"name": "department"}, {"name": "company"}, {"name": "password"},
      {"name": "nickName"}, {"name": "phone"}, {"name": "locale"}, {"name": "roles", "multivalued": true},
      {"name": "upn"}, {"name": "office"}]}]}
  ],
  "synchronizationRules": [{"name": "r", "targetDirectoryName": "app", "objectMappings": [{
    "name": "users", "sourceObjectName": "User", "targetObjectName": "User",
    "scope": {"groups": [{"name": "enabled", "clauses": [{"sourceOperandName": "accountEnabled", "operatorName": "IS TRUE", "targetOperand": {"values": []}}]}]},
    "attributeMappings": [
      {"source": {"expression": "[userPrincipalName]"}, "targetAttributeName": "userName", "matchingPriority": 1},
      {"source": {"expression": "[mail]"}, "targetAttributeName": "upn", "matchingPriority": 2},
      {"source": {"expression": "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")"}, "targetAttributeName": "active"},
      {"source": {"expression": "Join(\" \", [givenName], [surname])"}, "targetAttributeName": "displayName"},
      {"source": {"expression": "[objectId]"}, "targetAttributeName": "externalId"},
      {"source": {"expression": "[proxyAddresses]"}, "targetAttributeName": "emails"},
      {"source": {"expression": "[jobTitle]"}, "targetAttributeName": "title", "defaultValue": "Employee"},
      {"source": {"expression": "IgnoreFlowIfNullOrEmpty([department])"}, "targetAttributeName": "department"},
      {"source": {"expression": "\"Contoso\""}, "targetAttributeName": "company"},
      {"source": {"expression": "Redact([pwd])"}, "targetAttributeName": "password", "flowType": "ObjectAddOnly"},
      {"source": {"expression": "[mailNickname]"}, "targetAttributeName": "nickName", "flowType": "AttributeAddOnly"},
      {"source": {"expression": "[phones]"}, "targetAttributeName": "phone"},
      {"source": null, "defaultValue": "en-US", "targetAttributeName": "locale"},
      {"source": {"expression": "[roles]"}, "targetAttributeName": "roles", "flowType": "MultiValueAddOnly"},
      {"source": {"expression": "[office]"}, "targetAttributeName": "office", "flowBehavior": "FlowAlways"}
    ]}]}]
}`

func compileApplyDoc(t testing.TB) *CompiledObjectMapping {
	t.Helper()
	s, err := Decode([]byte(applyDoc))
	if err != nil {
		t.Fatal(err)
	}
	if errs := s.Validate(); len(errs) > 0 {
		t.Fatalf("Validate: %v", errs)
	}
	m, err := s.Compile("r", "users")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// explainLines renders the explanations of a Target.
func explainLines(tg Target) []string {
	out := make([]string, len(tg.Explain))
	for i, e := range tg.Explain {
		out[i] = e.String()
	}
	return out
}

func TestApply(t *testing.T) {
	m := compileApplyDoc(t)
	john := expr.NewEnv(map[string]any{
		"userPrincipalName": "john@contoso.com", "mail": "john.smith@contoso.com", "IsSoftDeleted": false,
		"givenName": "John", "surname": "Smith", "objectId": "AB12", "proxyAddresses": []any{"SMTP:john@contoso.com", "smtp:js@contoso.com"},
		"department": "", "pwd": "s3cret", "mailNickname": "johns", "phones": []any{"1", "2"}, "roles": "Admin", "office": "HQ",
	})
	tests := []struct {
		name    string
		src     expr.Env
		opts    ApplyOptions
		want    []string
		wantErr string
	}{
		{
			name: "create",
			src:  john,
			opts: ApplyOptions{OnCreate: true},
			want: []string{
				`active <- Switch([IsSoftDeleted], , "False", "True", "True", "False") = True`,
				`company <- "Contoso" = "Contoso"`,
				`department <- IgnoreFlowIfNullOrEmpty([department]): ignored (IgnoreFlowIfNullOrEmpty)`,
				`displayName <- Join(" ", [givenName], [surname]) = "John Smith"`,
				`emails <- [proxyAddresses] = ["SMTP:john@contoso.com", "smtp:js@contoso.com"]`,
				`externalId <- [objectId] = "AB12"`,
				`locale <- (none) = "en-US" (default)`,
				`nickName <- [mailNickname] = "johns"`,
				`office <- [office] = "HQ"`,
				`password <- Redact([pwd]) = [Redact]`,
				`phone <- [phones]: error: 2 values for single-valued attribute phone (pick one with Item or Join them)`,
				`roles <- [roles] = ["Admin"]`,
				`title <- [jobTitle] = "Employee" (default)`,
				`upn <- [mail] = "john.smith@contoso.com"`,
				`userName <- [userPrincipalName] = "john@contoso.com"`,
			},
			wantErr: "phone: 2 values for single-valued attribute phone (pick one with Item or Join them)",
		},
		{
			name: "update: no ObjectAddOnly, no defaults",
			src:  expr.NewEnv(map[string]any{"userPrincipalName": "ann@contoso.com", "IsSoftDeleted": true, "department": "Sales"}),
			want: []string{
				`active <- Switch([IsSoftDeleted], , "False", "True", "True", "False") = False`,
				`company <- "Contoso" = "Contoso"`,
				`department <- IgnoreFlowIfNullOrEmpty([department]) = "Sales"`,
				`displayName <- Join(" ", [givenName], [surname]) = ""`,
				`emails <- [proxyAddresses]: null: not flowed`,
				`externalId <- [objectId]: null: not flowed`,
				`locale <- (none): null: not flowed`,
				`nickName <- [mailNickname]: null: not flowed`,
				`office <- [office]: null: not flowed`,
				`password <- Redact([pwd]): skipped on update (ObjectAddOnly)`,
				`phone <- [phones]: null: not flowed`,
				`roles <- [roles]: null: not flowed`,
				`title <- [jobTitle]: null: not flowed`,
				`upn <- [mail]: null: not flowed`,
				`userName <- [userPrincipalName] = "ann@contoso.com"`,
			},
		},
		{
			name: "update with the current target: a Direct mapping's default is for create only, AttributeAddOnly keeps values",
			src:  expr.NewEnv(map[string]any{"userPrincipalName": "ann@contoso.com", "mailNickname": "ann"}),
			opts: ApplyOptions{Current: expr.NewEnv(map[string]any{"nickName": "annie", "title": "", "locale": "nl-NL"})},
			want: []string{
				`active <- Switch([IsSoftDeleted], , "False", "True", "True", "False"): null: not flowed`,
				`company <- "Contoso" = "Contoso"`,
				`department <- IgnoreFlowIfNullOrEmpty([department]): ignored (IgnoreFlowIfNullOrEmpty)`,
				`displayName <- Join(" ", [givenName], [surname]) = ""`,
				`emails <- [proxyAddresses]: null: not flowed`,
				`externalId <- [objectId]: null: not flowed`,
				`locale <- (none): null: not flowed`,
				`nickName <- [mailNickname]: skipped (AttributeAddOnly: target has a value)`,
				`office <- [office]: null: not flowed`,
				`password <- Redact([pwd]): skipped on update (ObjectAddOnly)`,
				`phone <- [phones]: null: not flowed`,
				`roles <- [roles]: null: not flowed`,
				`title <- [jobTitle]: null: not flowed`, // the target's title is empty, but the default is for create only
				`upn <- [mail]: null: not flowed`,
				`userName <- [userPrincipalName] = "ann@contoso.com"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := m.Apply(tt.src, tt.opts)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if diff := cmp.Diff(tt.wantErr, gotErr); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, explainLines(got)); diff != "" {
				t.Errorf("explanations (-want +got):\n%s", diff)
			}
			// Attrs holds exactly the flowed attributes, sorted.
			var flowed []string
			for _, e := range got.Explain {
				if e.Outcome == Flowed {
					flowed = append(flowed, e.Target)
				}
			}
			var names []string
			for _, a := range got.Attrs {
				names = append(names, a.Name)
			}
			if diff := cmp.Diff(flowed, names); diff != "" {
				t.Errorf("Attrs names (-explain +attrs):\n%s", diff)
			}
		})
	}
}

func TestApplyRedactAndTypes(t *testing.T) {
	m := compileApplyDoc(t)
	got, _ := m.Apply(expr.NewEnv(map[string]any{"pwd": "s3cret", "roles": []any{"a", "b"}}), ApplyOptions{OnCreate: true})
	find := func(name string) TargetAttribute {
		for _, a := range got.Attrs {
			if a.Name == name {
				return a
			}
		}
		t.Fatalf("no attribute %s", name)
		return TargetAttribute{}
	}
	pw := find("password")
	if !pw.Redacted || expr.Render(pw.Value) != "s3cret" || pw.Display() != "[Redact]" {
		t.Errorf("password = %+v, want the value s3cret, redacted", pw)
	}
	if r := find("roles"); r.FlowType != MultiValueAddOnly || !cmp.Equal(r.Value, expr.Value(expr.Multi{"a", "b"})) {
		t.Errorf("roles = %+v", r)
	}
	if l := find("locale"); !l.DefaultUsed {
		t.Errorf("locale: DefaultUsed not set")
	}
}

func TestApplyExport(t *testing.T) {
	m := compileApplyDoc(t)
	src := expr.NewEnv(map[string]any{"userPrincipalName": "Ann@contoso.com", "objectId": "ab12", "office": "HQ", "proxyAddresses": []any{"b", "a"}})
	current := expr.NewEnv(map[string]any{"userName": "ann@contoso.com", "externalId": "AB12", "office": "HQ", "emails": []any{"A", "b", "b"}})
	got, _ := m.Apply(src, ApplyOptions{Current: current})
	export := map[string]bool{}
	for _, a := range got.Attrs {
		export[a.Name] = a.Export
	}
	want := map[string]bool{
		"userName":    false, // differs only in case: not caseExact
		"externalId":  true,  // caseExact
		"office":      true,  // FlowAlways
		"emails":      false, // same set, ignoring case and order
		"company":     true,  // no current value
		"displayName": false, // "" and an absent value are both empty
		"locale":      true,  // a None mapping's default fills an empty target attribute
		// title, a Direct mapping with a default, does not flow: its default is for create only
	}
	if diff := cmp.Diff(want, export); diff != "" {
		t.Errorf("Export (-want +got):\n%s", diff)
	}
}

func TestEqual(t *testing.T) {
	m := compileApplyDoc(t)
	tests := []struct {
		attr string
		a, b expr.Value
		want bool
	}{
		{"displayName", expr.String("John"), expr.String("JOHN"), true},
		{"externalId", expr.String("ab"), expr.String("AB"), false},
		{"externalId", expr.String("ab"), expr.String("ab"), true},
		// A Boolean target: true, "True" and "true" are one value.
		{"active", expr.Bool(true), expr.String("true"), true},
		{"active", expr.Bool(true), expr.String("True"), true},
		{"active", expr.String("True"), expr.String("true"), true},
		{"active", expr.Bool(false), expr.String("FALSE"), true},
		{"active", expr.Bool(true), expr.Bool(false), false},
		{"active", expr.Bool(true), expr.String("False"), false},
		{"emails", expr.Multi{"a", "B"}, expr.Multi{"b", "a", "a"}, true},
		{"emails", expr.Multi{"a"}, expr.Multi{"a", "c"}, false},
		{"emails", expr.String("a"), expr.Multi{"A"}, true},
		{"title", expr.Null, expr.String(""), true},
		{"title", expr.Null, expr.String("x"), false},
		{"unknown", expr.String("x"), expr.String("X"), true},
		{"title", expr.Redacted{V: expr.String("x")}, expr.String("x"), true},
	}
	for _, tt := range tests {
		a, ok := m.Attribute(tt.attr)
		if !ok {
			a = &CompiledAttribute{Target: tt.attr} // no definition: ignore case
		}
		if got := a.Equal(tt.a, tt.b); got != tt.want {
			t.Errorf("Equal(%s, %s, %s) = %v, want %v", tt.attr, expr.Display(tt.a), expr.Display(tt.b), got, tt.want)
		}
	}
}

func TestCompiledAccessors(t *testing.T) {
	m := compileApplyDoc(t)
	var matching []string
	for _, a := range m.Matching() {
		matching = append(matching, a.Target+" <- "+a.Text)
	}
	if diff := cmp.Diff([]string{"userName <- [userPrincipalName]", "upn <- [mail]"}, matching); diff != "" {
		t.Errorf("Matching (-want +got):\n%s", diff)
	}
	if a, ok := m.Attribute("EMAILS"); !ok || a.Definition == nil || !a.Definition.Multivalued {
		t.Errorf("Attribute(EMAILS) = %+v", a)
	}
	if f := m.Mapping().Flows(); f != (ObjectFlows{true, true, true}) {
		t.Errorf("Flows = %+v", f)
	}
	if m.SourceObjectName() != "User" || m.TargetObjectName() != "User" {
		t.Errorf("object names %q %q", m.SourceObjectName(), m.TargetObjectName())
	}
	in := expr.NewEnv(map[string]any{"accountEnabled": true})
	out := expr.NewEnv(map[string]any{"accountEnabled": false})
	inScope := func(env expr.Env) bool { ok, err := m.MatchScope(env); return ok && err == nil }
	if !inScope(in) || inScope(out) {
		t.Errorf("InScope: enabled %v, disabled %v", inScope(in), inScope(out))
	}
	if got := m.Scope(out).String(); !strings.HasPrefix(got, "out of scope") {
		t.Errorf("Scope = %s", got)
	}
}

func TestApplyUniqueAndClock(t *testing.T) {
	om := &ObjectMapping{AttributeMappings: []AttributeMapping{
		{TargetAttributeName: "upn", FlowType: ObjectAddOnly, Source: mustSource(t, `SelectUniqueValue(Join("@", [a], "x.com"), Join("@", [a], "2", "x.com"))`)},
		{TargetAttributeName: "stamp", Source: mustSource(t, `FormatDateTime(Now(), , "M/d/yyyy h:mm:ss tt", "yyyy-MM-dd")`)},
	}}
	m, err := Compile(om)
	if err != nil {
		t.Fatal(err)
	}
	var asked []string
	exists := func(attr, v string) bool { asked = append(asked, attr+"="+v); return v == "ann@x.com" }
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	got, err := m.Apply(expr.NewEnv(map[string]any{"a": "ann"}), ApplyOptions{OnCreate: true, Exists: exists, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`stamp <- FormatDateTime(Now(), , "M/d/yyyy h:mm:ss tt", "yyyy-MM-dd") = "2024-05-01"`,
		`upn <- SelectUniqueValue(Join("@", [a], "x.com"), Join("@", [a], "2", "x.com")) = "ann@2@x.com"`,
	}
	if diff := cmp.Diff(want, explainLines(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"upn=ann@x.com", "upn=ann@2@x.com"}, asked); diff != "" {
		t.Errorf("Exists calls (-want +got):\n%s", diff)
	}

	all := func(attr, v string) bool { return true }
	_, err = m.Apply(expr.NewEnv(map[string]any{"a": "ann"}), ApplyOptions{OnCreate: true, Exists: all, Now: now})
	if !errors.Is(err, expr.ErrNotUnique) {
		t.Errorf("every value taken: err = %v, want ErrNotUnique", err)
	}
}

func mustSource(t testing.TB, text string) *AttributeMappingSource {
	t.Helper()
	s, err := SourceFromExpression(text)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCompileErrors(t *testing.T) {
	om := &ObjectMapping{AttributeMappings: []AttributeMapping{
		{TargetAttributeName: "a", Source: &AttributeMappingSource{Expression: "Left([x]"}},
		{TargetAttributeName: "b", Source: &AttributeMappingSource{Expression: "[y]"}},
		{TargetAttributeName: "c", Source: &AttributeMappingSource{Name: "Nope", Type: SourceFunction}},
	}}
	_, err := Compile(om)
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("Compile error = %v, want two problems", err)
	}
	if !strings.HasPrefix(list[0].Error(), `attributeMappings[0].source: expression "Left([x]" does not compile`) ||
		!strings.HasPrefix(list[1].Error(), `attributeMappings[2].source: expression "Nope()" does not compile: unknown function "Nope"`) {
		t.Errorf("Compile errors:\n%v", list)
	}
}
