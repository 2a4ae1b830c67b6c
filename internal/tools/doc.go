// Package tools pins the versions of the tools .ci/run uses (tools.go,
// built only with the tools tag), in a module of its own so that the
// library's go.mod lists only what the library needs.
package tools
