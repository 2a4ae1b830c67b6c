package scoping

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Object is a source object as the matcher sees it: attribute values as
// strings. A multi-valued attribute returns several values; a Boolean is
// "True" or "False" (the canonical rendering the service uses); an integer is
// its decimal digits.
//
// Values returns ok == false when the object has no such attribute. An
// absent attribute, a nil or empty slice, and a slice of empty strings all
// count as null / empty for the documented null rules. The matcher never
// modifies the returned slice, and implementations may return shared slices.
type Object interface {
	Values(attr string) (values []string, ok bool)
}

// MapObject adapts a decoded JSON object (or any map of Go values) to Object.
//
// Attribute names are case-insensitive, as in the provisioning service: an
// exact key wins; otherwise the first key in byte order that matches under
// Unicode case folding is used, so the choice never depends on map order.
//
// Values are rendered as strings: string as is; bool as "True"/"False";
// float64 and integers in decimal without exponent when integral
// (1e6 → "1000000"); json.Number as written; nil as null; []any and []string
// as a multi-valued attribute (nil elements dropped); anything else (nested
// objects) as compact JSON. Scalars cost one small allocation per lookup;
// use Attrs when the values are already strings and allocations matter.
type MapObject map[string]any

// Values implements Object.
func (m MapObject) Values(attr string) ([]string, bool) {
	v, ok := m[attr]
	if !ok {
		k, found := foldKey(m, attr)
		if !found {
			return nil, false
		}
		v = m[k]
	}
	return renderValues(v), true
}

// Attrs is an Object over string values that does not allocate on lookup.
// Attribute names are case-insensitive, resolved as for MapObject.
type Attrs map[string][]string

// Values implements Object.
func (a Attrs) Values(attr string) ([]string, bool) {
	if v, ok := a[attr]; ok {
		return v, true
	}
	k, found := foldKey(a, attr)
	if !found {
		return nil, false
	}
	return a[k], true
}

// foldKey finds the smallest key of m equal to attr under case folding.
func foldKey[V any](m map[string]V, attr string) (string, bool) {
	best, found := "", false
	for k := range m {
		if strings.EqualFold(k, attr) && (!found || k < best) {
			best, found = k, true
		}
	}
	return best, found
}

var (
	trueValues  = []string{"True"}
	falseValues = []string{"False"}
)

// renderValues converts one attribute value to the matcher's strings.
func renderValues(v any) []string {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		return []string{v}
	case bool:
		if v {
			return trueValues
		}
		return falseValues
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			out = append(out, renderValues(e)...)
		}
		return out
	}
	s, ok := renderScalar(v)
	if !ok {
		return nil
	}
	return []string{s}
}

// renderScalar renders a non-string scalar; ok is false for nil.
func renderScalar(v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "", false
	case json.Number:
		return string(v), true
	case float64:
		return formatFloat(v), true
	case float32:
		return formatFloat(float64(v)), true
	case int:
		return strconv.Itoa(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	case int32:
		return strconv.FormatInt(int64(v), 10), true
	case uint:
		return strconv.FormatUint(uint64(v), 10), true
	case uint64:
		return strconv.FormatUint(v, 10), true
	case uint32:
		return strconv.FormatUint(uint64(v), 10), true
	case fmt.Stringer:
		return v.String(), true
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v), true
	}
	return string(b), true
}

// formatFloat renders integral floats as integers so that a JSON 1000000
// (decoded as float64) compares as the integer 1000000.
func formatFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e18 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
