package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEval(t *testing.T) {
	const user = "testdata/cli/user.json"
	runTranscripts(t, "eval", []cliCase{
		{name: "plain", args: []string{"eval", "-i", user, `Join("@", NormalizeDiacritics(StripSpaces(Join(".", [givenName], [surname]))), "contoso.com")`}},
		{name: "no input", args: []string{"eval", `Join(", ", "b", "a")`}},
		{name: "multi-valued", args: []string{"eval", "-i", user, "[proxyAddresses]"}},
		{name: "multi-valued json", args: []string{"eval", "-i", user, "--json", "[proxyAddresses]"}},
		{name: "number and boolean", args: []string{"eval", "-i", user, `Join(" ", [employeeId], [accountEnabled])`}},
		{name: "null", args: []string{"eval", "-i", user, "[manager]"}},
		{name: "null json", args: []string{"eval", "--json", "-i", user, "[manager]"}},
		{name: "ignored", args: []string{"eval", "-i", user, "IgnoreFlowIfNullOrEmpty([department])"}},
		{name: "ignored json", args: []string{"eval", "-i", user, "--json", "IgnoreFlowIfNullOrEmpty([department])"}},
		{name: "ignored object", args: []string{"eval", `IIF([hired] = "1", "False", IgnoreObjectFlow)`}},
		{name: "ignored object json", args: []string{"eval", "--json", `IIF([hired] = "1", "False", IgnoreObjectFlow)`}},
		{name: "redacted", args: []string{"eval", "-i", user, "Redact([pwd])"}},
		{name: "redacted json", args: []string{"eval", "-i", user, "--json", "Redact([pwd])"}},
		{name: "now", args: []string{"eval", "--now", "2024-07-01T09:00:00Z", "Now()"}},
		{name: "seed", args: []string{"eval", "--seed", "7", "Guid()"}},
		{name: "existing", args: []string{"eval", "--existing", "testdata/cli/existing.txt", `SelectUniqueValue("john.smith@contoso.com", "j.smith@contoso.com", "jo.smith@contoso.com")`}},
		{name: "existing exhausted", args: []string{"eval", "--existing", "testdata/cli/existing.txt", `SelectUniqueValue("John.Smith@contoso.com", "j.smith@contoso.com")`}},
		{name: "existing json array on stdin", args: []string{"eval", "--existing", "-", `SelectUniqueValue("a@contoso.com", "b@contoso.com")`}, stdin: `["a@contoso.com"]`},
		{name: "object on stdin", args: []string{"eval", "-i", "-", "Left([surname], 1)"}, stdin: `{"surname": "Ångström"}`},
		{name: "bad expression", args: []string{"eval", `Jion("@", [givenName], "contoso.com")`}},
		{name: "bad expression arity", args: []string{"eval", `Mid([givenName], 1)`}},
		{name: "runtime error", args: []string{"eval", "-i", "-", `Mid([givenName], [start], 2)`}, stdin: `{"givenName": "Zoë", "start": "one"}`},
		{name: "bad input json", args: []string{"eval", "-i", "-", "[a]"}, stdin: `{"a": }`},
		{name: "nested object", args: []string{"eval", "-i", "-", "[a.b]"}, stdin: `{"a": {"b": 1}}`},
		{name: "missing file", args: []string{"eval", "-i", "testdata/cli/nope.json", "[a]"}},
		{name: "missing expression", args: []string{"eval", "--json"}},
		{name: "two expressions", args: []string{"eval", "[a]", "[b]"}},
		{name: "bad now", args: []string{"eval", "--now", "yesterday", "Now()"}},
		{name: "two stdin readers", args: []string{"eval", "-i", "-", "--existing", "-", "[a]"}},
		{name: "unknown flag", args: []string{"eval", "--jsn", "[a]"}},
		{name: "bad expression json", args: []string{"eval", "--json", `Jion("@", [givenName])`}},
		{name: "runtime error json", args: []string{"eval", "--json", "-i", "-", `Mid([givenName], [start], 2)`}, stdin: `{"givenName": "Zoë", "start": "one"}`},
		{name: "bad input json as json", args: []string{"eval", "--json", "-i", "-", "[a]"}, stdin: `{"a": }`},
		{name: "expression from a CRLF file", args: []string{"eval", "-f", "testdata/cli/upn.expr", "-i", user}},
		{name: "expression on stdin", args: []string{"eval", "-", "-i", user}, stdin: "ToUpper([surname])\n"},
		{name: "expression on stdin with -f -", args: []string{"eval", "-f", "-"}, stdin: "Jion(\"a\",\n  [b])\n"},
		{name: "-f and an argument", args: []string{"eval", "-f", "testdata/cli/upn.expr", "[a]"}},
		{name: "empty expression file", args: []string{"eval", "-f", "-"}, stdin: "\n"},
	})
}

func TestEvalTable(t *testing.T) {
	const csv = "testdata/cli/users.csv"
	runTranscripts(t, "table", []cliCase{
		{name: "csv", args: []string{"eval", "-i", csv, `IgnoreFlowIfNullOrEmpty([department])`}},
		{name: "csv with errors", args: []string{"eval", "-i", csv, `Left([surname], [employeeId])`}},
		{name: "csv json", args: []string{"eval", "-i", csv, "--json", `Join(".", [givenName], [surname])`}},
		{name: "json lines on stdin", args: []string{"eval", "-i", "-", `Coalesce([mail], "(none)")`},
			stdin: "{\"objectId\": \"a1\", \"mail\": \"a@contoso.com\"}\n\n{\"objectId\": \"b2\"}\nnot json\n{\"mail\": \"c@contoso.com\"}\n"},
		{name: "json array on stdin", args: []string{"eval", "-i", "-", `[name]`},
			stdin: "[{\"name\": \"x\"}, {\"name\": \"x\"}, {\"other\": true}]"},
		{name: "csv bad row", args: []string{"eval", "-i", "-", "[b]"}, stdin: "a,b\n1,2\n3\n4,5\n"},
	})
}

func TestEvalBatch(t *testing.T) {
	const batch = "testdata/cli/batch.jsonl"
	runTranscripts(t, "batch", []cliCase{
		{name: "file", args: []string{"eval", "--batch", batch, "--seed", "42"}},
		{name: "stdin", args: []string{"eval", "--batch", "-", "--now", "2024-07-01T09:00:00Z"},
			stdin: "{\"id\": \"a\", \"expression\": \"Now()\"}\n{\"id\": \"b\", \"expression\": \"Now()\", \"now\": \"2030-01-01T00:00:00Z\"}\n{\"id\": \"c\", \"expression\": \"[x]\", \"input\": [1]}\n{\"id\": \"d\"}\n"},
		{name: "with an expression", args: []string{"eval", "--batch", batch, "[a]"}},
	})
}

// TestEvalBatchDeterministic checks that a seeded batch is byte-identical
// across runs.
func TestEvalBatchDeterministic(t *testing.T) {
	in := strings.Repeat(`{"id": 1, "expression": "Join(\"-\", Guid(), RandomString(8, 1, 1, 1, 1))"}`+"\n", 3)
	runOnce := func() string {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"eval", "--batch", "-", "--seed", "3"}, strings.NewReader(in), &stdout, &stderr); code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		return stdout.String()
	}
	first := runOnce()
	if diff := cmp.Diff(first, runOnce()); diff != "" {
		t.Errorf("seeded batch differs between runs (-first +second):\n%s", diff)
	}
	if lines := strings.Split(strings.TrimSpace(first), "\n"); len(lines) != 3 || lines[0] == lines[1] {
		t.Errorf("want three different values from one stream, got:\n%s", first)
	}
}

// TestEvalTableSummaryBounded feeds more distinct outcomes than the summary
// lists.
func TestEvalTableSummaryBounded(t *testing.T) {
	var in strings.Builder
	for i := range summaryOutcomes + 5 {
		fmt.Fprintf(&in, "{\"id\": \"u%d\"}\n", i)
	}
	fmt.Fprintln(&in, `{"id": "u0"}`)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"eval", "-i", "-", "[id]"}, strings.NewReader(in.String()), &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"26 rows, 25 distinct outcomes:\n", "   2  \"u0\"\n", "   5  (5 outcomes more)\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestOpenObjects(t *testing.T) {
	tests := []struct {
		name, path, data string
		wantRows         int // -1: one object
		wantErr          bool
	}{
		{name: "one object", path: "-", data: `{"a": 1}`, wantRows: -1},
		{name: "pretty object", path: "x.json", data: "{\n  \"a\": 1\n}\n", wantRows: -1},
		{name: "object with BOM", path: "-", data: "\ufeff {\"a\": 1}", wantRows: -1},
		{name: "json lines", path: "-", data: "{\"a\": 1}\n{\"a\": 2}\n", wantRows: 2},
		{name: "one line is one object", path: "x.jsonl", data: "{\"a\": 1}\n", wantRows: -1},
		{name: "graph page of one", path: "-", data: `{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "value": [{"id": "1"}]}`, wantRows: 1},
		{name: "semicolon csv", path: "-", data: "a;b\n1;2\n3;4\n", wantRows: 2},
		{name: "array", path: "x.json", data: `[{"a": 1}, {"a": 2}, {"a": 3}]`, wantRows: 3},
		{name: "csv by content", path: "-", data: "a,b\n1,2\n", wantRows: 1},
		{name: "header only", path: "x.json", data: "a,b\n", wantErr: true},
		{name: "bad json", path: "-", data: "{a}\n{1}\n", wantErr: true},
		{name: "empty", path: "-", data: " \n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := openObjects("-", strings.NewReader(tt.data), nil, nil)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			rows := in.rows
			got := -1
			if rows != nil {
				got = 0
				for r := range rows {
					if r.err != nil {
						t.Errorf("row %d: %v", r.n, r.err)
					}
					got++
				}
			}
			if got != tt.wantRows {
				t.Errorf("rows = %d, want %d", got, tt.wantRows)
			}
		})
	}
}

func TestRowKey(t *testing.T) {
	tests := []struct {
		name  string
		keys  []string
		attrs map[string]any
		want  string
	}{
		{name: "id wins", keys: []string{"mail", "userPrincipalName", "ID"}, attrs: map[string]any{"mail": "m", "userPrincipalName": "u", "ID": "i"}, want: "i"},
		{name: "upn", keys: []string{"mail", "userPrincipalName"}, attrs: map[string]any{"mail": "m", "userPrincipalName": "u"}, want: "u"},
		{name: "first column", keys: []string{"mail", "x"}, attrs: map[string]any{"mail": "m", "x": "y"}, want: "m"},
		{name: "empty key column falls through", keys: []string{"mail", "id"}, attrs: map[string]any{"mail": "m"}, want: "m"},
		{name: "row number", keys: nil, attrs: map[string]any{}, want: "#4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rowKey(4, tt.keys, tt.attrs); got != tt.want {
				t.Errorf("rowKey = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTrimWriter(t *testing.T) {
	var b bytes.Buffer
	w := &trimWriter{w: &b}
	for _, s := range []string{"a  ", " \nb c", "  ", "\n  d"} {
		io.WriteString(w, s)
	}
	if got, want := b.String(), "a\nb c\n  d"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
