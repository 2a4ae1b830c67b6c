package scoping_test

import (
	"fmt"
	"strings"

	"github.com/attrmap/attrmap/scoping"
)

const salesFilter = `{
  "groups": [
    {
      "name": "Sales",
      "clauses": [
        {"operatorName": "IS TRUE", "sourceOperandName": "accountEnabled", "targetOperand": {"values": []}},
        {"operatorName": "EQUALS", "sourceOperandName": "department", "targetOperand": {"values": ["Sales"]}}
      ]
    },
    {
      "name": "Senior staff",
      "clauses": [
        {"operatorName": "Greater_Than_OR_EQUALS", "sourceOperandName": "level", "targetOperand": {"values": ["7"]}}
      ]
    }
  ]
}`

func ExampleFilter_Compile() {
	f, err := scoping.Load(strings.NewReader(salesFilter))
	if err != nil {
		panic(err)
	}
	m, err := f.Compile()
	if err != nil {
		panic(err)
	}
	users := []scoping.MapObject{
		{"displayName": "Alice", "accountEnabled": true, "department": "Sales"},
		{"displayName": "Bob", "accountEnabled": true, "department": "Marketing", "level": 3},
		{"displayName": "Carol", "accountEnabled": false, "department": "Sales", "level": 8},
	}
	for _, u := range users {
		fmt.Println(u["displayName"], m.InScope(u))
	}
	// Output:
	// Alice true
	// Bob false
	// Carol true
}

func ExampleFilter_Compile_error() {
	f, err := scoping.Decode([]byte(`[{"name": "Sales", "clauses": [
		{"operatorName": "EQUALS", "sourceOperandName": "accountEnabled", "targetOperand": {"values": ["True"]}},
		{"operatorName": "EQULAS", "sourceOperandName": "department", "targetOperand": {"values": ["Sales"]}}]}]`))
	if err != nil {
		panic(err)
	}
	_, err = f.Compile()
	fmt.Println(err)
	// Output:
	// group "Sales": clause 2 (department EQULAS "Sales"): unknown operator "EQULAS" (did you mean "EQUALS"?)
}

func ExampleMatcher_Explain() {
	f, err := scoping.Decode([]byte(salesFilter))
	if err != nil {
		panic(err)
	}
	m, err := f.Compile()
	if err != nil {
		panic(err)
	}
	fmt.Println(m.Explain(scoping.MapObject{"accountEnabled": true, "department": "Sales"}))
	d := m.Explain(scoping.MapObject{"accountEnabled": true, "department": "Marketing", "level": 3})
	fmt.Println(d.InScope)
	for _, r := range d.Reasons {
		fmt.Println(r)
	}
	// Output:
	// in scope: group "Sales" matched
	// false
	// group "Sales": clause 2 (department EQUALS "Sales"): value "Marketing" does not equal "Sales"
	// group "Senior staff": clause 1 (level Greater_Than_OR_EQUALS "7"): value 3 is not greater than or equal to 7
}

func ExampleDecode() {
	_, err := scoping.Decode([]byte("{\n  \"groups\": [\n    {\"name\": \"Sales\",}\n  ]\n}"))
	fmt.Println(err)
	// Output:
	// line 3, column 22: invalid character '}' looking for beginning of object key string
}
