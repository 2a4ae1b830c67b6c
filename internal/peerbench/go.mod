module github.com/attrmap/attrmap/internal/peerbench

go 1.26.8

require (
	github.com/attrmap/attrmap v0.0.0
	github.com/expr-lang/expr v1.17.8
	github.com/google/cel-go v0.26.1
	golang.org/x/text v0.43.0
)

require (
	cel.dev/expr v0.24.0 // indirect
	github.com/alecthomas/participle/v2 v2.1.4 // indirect
	github.com/antlr4-go/antlr/v4 v4.13.0 // indirect
	github.com/dlclark/regexp2 v1.12.0 // indirect
	github.com/stoewer/go-strcase v1.2.0 // indirect
	golang.org/x/exp v0.0.0-20230515195305-f3d0a9c9a5cc // indirect
	google.golang.org/genproto/googleapis/api v0.0.0-20240826202546-f6391c0de4c7 // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20240826202546-f6391c0de4c7 // indirect
	google.golang.org/protobuf v1.34.2 // indirect
)

replace github.com/attrmap/attrmap => ../..
