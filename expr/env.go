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
	if k, ok := foldKey(m, name); ok {
		return m[k], true
	}
	return nil, false
}

// foldKey finds the key of m that equals name ignoring case. When several
// do (an object with both Mail and mail), the smallest wins, so that the
// choice does not depend on the map's order.
func foldKey[V any](m map[string]V, name string) (string, bool) {
	var best string
	found := false
	for k := range m {
		if strings.EqualFold(k, name) && (!found || k < best) {
			best, found = k, true
		}
	}
	return best, found
}

// EnvFunc adapts a function to Env.
type EnvFunc func(name string) (Value, bool)

// Lookup implements Env.
func (f EnvFunc) Lookup(name string) (Value, bool) { return f(name) }

// goEnv is the Env of NewEnv, over decoded JSON attributes (string, number, boolean,
// null or array) or other Go values FromGo accepts. Each value is
// converted when it is looked up, so that an object costs nothing to wrap
// and only the attributes an expression reads are converted. A JSON null
// is an attribute whose value is Null, which evaluates like an absent one.
// Names are matched as MapEnv matches them.
type goEnv map[string]any

// Lookup implements Env.
func (m goEnv) Lookup(name string) (Value, bool) {
	if v, ok := m[name]; ok {
		return goValue(v), true
	}
	if k, ok := foldKey(m, name); ok {
		return goValue(m[k]), true
	}
	return nil, false
}

// goValue is FromGo with the common case first.
func goValue(v any) Value {
	if s, ok := stringOf(v); ok {
		return s
	}
	return FromGo(v)
}

// NewEnv wraps decoded JSON attributes (string, number, boolean, null or
// array, or other Go values FromGo accepts) as an Env. The map is used as
// it is, not copied: do not change it while expressions read it. Values
// are converted when they are looked up, and names are matched as MapEnv
// matches them.
func NewEnv(attrs map[string]any) Env { return goEnv(attrs) }
