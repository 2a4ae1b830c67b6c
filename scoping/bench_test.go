package scoping

import "testing"

// benchFilter is a realistic 4-clause group (the documentation's example
// without the regex) plus a second group, so both AND and OR are exercised.
const benchFilter = `{"groups":[
  {"name":"New York engineers","clauses":[
    {"operatorName":"EQUALS","sourceOperandName":"state","targetOperand":{"values":["New York"]}},
    {"operatorName":"EQUALS","sourceOperandName":"department","targetOperand":{"values":["Engineering"]}},
    {"operatorName":"Greater_Than_OR_EQUALS","sourceOperandName":"employeeId","targetOperand":{"values":["1000000"]}},
    {"operatorName":"IS NOT NULL","sourceOperandName":"jobTitle","targetOperand":{"values":[]}}]},
  {"name":"Contractors","clauses":[
    {"operatorName":"EQUALS","sourceOperandName":"employeeType","targetOperand":{"values":["Contractor"]}}]}]}`

// BenchmarkScope measures InScope and Explain on a 4-clause filter. The
// Attrs objects do not allocate, so the allocation counts are the matcher's.
func BenchmarkScope(b *testing.B) {
	m := mustCompile(b, benchFilter)
	in := Attrs{"state": {"New York"}, "department": {"Engineering"}, "employeeId": {"1500000"}, "jobTitle": {"Engineer"}}
	out := Attrs{"state": {"New York"}, "department": {"Engineering"}, "employeeId": {"1500000"}, "employeeType": {"Employee"}}
	mapIn := MapObject{"state": "New York", "department": "Engineering", "employeeId": 1500000.0, "jobTitle": "Engineer"}
	regex := mustCompile(b, `[{"name":"r","clauses":[
		{"operatorName":"REGEX MATCH","sourceOperandName":"userPrincipalName","targetOperand":{"values":["^[^@]+@contoso\\.com$"]}}]}]`)
	upn := Attrs{"userPrincipalName": {"alice.smith@contoso.com"}}

	b.Run("InScope/in", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !m.InScope(in) {
				b.Fatal("want in scope")
			}
		}
	})
	b.Run("InScope/out", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if m.InScope(out) {
				b.Fatal("want out of scope")
			}
		}
	})
	b.Run("InScope/MapObject", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !m.InScope(mapIn) {
				b.Fatal("want in scope")
			}
		}
	})
	b.Run("InScope/regex", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !regex.InScope(upn) {
				b.Fatal("want in scope")
			}
		}
	})
	b.Run("Explain/out", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if m.Explain(out).InScope {
				b.Fatal("want out of scope")
			}
		}
	})
}

// BenchmarkCompile measures compiling the benchmark filter from its decoded form.
func BenchmarkCompile(b *testing.B) {
	f, err := Decode([]byte(benchFilter))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Compile(); err != nil {
			b.Fatal(err)
		}
	}
}
