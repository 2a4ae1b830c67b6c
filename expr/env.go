package expr

import "strings"

// Env supplies the attributes of the object an expression is evaluated
// against.
type Env interface {
	// Lookup returns the value of the named attribute; false means the
	// object does not have it, which evaluates to Null.
	Lookup(name string) (Value, bool)
}

// MapEnv is an Env over a map. Lookup tries the exact name first and then
// ignores case, because attribute names are case-insensitive in the
// directories the language comes from.
type MapEnv map[string]Value

// Lookup implements Env.
func (m MapEnv) Lookup(name string) (Value, bool) {
	if v, ok := m[name]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

// EnvFunc adapts a function to Env.
type EnvFunc func(name string) (Value, bool)

// Lookup implements Env.
func (f EnvFunc) Lookup(name string) (Value, bool) { return f(name) }

// NewEnv converts decoded JSON attributes (string, number, boolean, null
// or array) to a MapEnv. A JSON null is kept as an attribute whose value is
// Null, which evaluates like an absent one.
func NewEnv(attrs map[string]any) MapEnv {
	m := make(MapEnv, len(attrs))
	for k, v := range attrs {
		m[k] = FromGo(v)
	}
	return m
}
