module github.com/attrmap/attrmap/internal/interop

go 1.26.8

replace github.com/attrmap/attrmap => ../..

require (
	github.com/attrmap/attrmap v0.0.0-00010101000000-000000000000
	github.com/elimity-com/scim v0.0.0-20260728105928-2641426a1539
	github.com/google/go-cmp v0.7.0
	github.com/scim2/filter-parser/v2 v2.3.1
)

require (
	github.com/alecthomas/participle/v2 v2.1.4 // indirect
	github.com/dlclark/regexp2 v1.12.0 // indirect
	github.com/q-uint/parser v0.3.1 // indirect
	github.com/q-uint/xsd-datetime v1.0.0 // indirect
	golang.org/x/text v0.43.0 // indirect
)
