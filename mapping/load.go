package mapping

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// LoadOption configures Load.
type LoadOption func(*loadConfig)

type loadConfig struct {
	lenient  bool
	onRepair func(Repair)
}

// Lenient makes Load repair what is unambiguous in documents copied from
// web pages and chat: // and /* */ comments, trailing commas, "..."
// placeholders standing for elided array elements or object members, bare
// (unquoted) object keys and a leading byte order mark. onRepair, if not
// nil, is called for each repair, in document order. A placeholder standing
// for a member's value is never guessed at: it stays an error.
func Lenient(onRepair func(Repair)) LoadOption {
	return func(c *loadConfig) { c.lenient, c.onRepair = true, onRepair }
}

// Load reads a schema document. It decodes only: problems that do not stop
// the document from being read (an expression that does not compile, a
// mapping to an undefined attribute) are left to Validate.
//
// The document may be any of:
//
//   - a whole synchronizationSchema, as GET .../synchronization/jobs/{id}/schema
//     returns it and the portal's schema editor downloads it (an object with
//     "synchronizationRules" or "directories");
//   - a bare synchronizationRule (an object with "objectMappings");
//   - a bare objectMapping (an object with "attributeMappings",
//     "sourceObjectName" or "targetObjectName").
//
// Schema.Form records which, and Save writes the same shape back. Errors
// are *LoadError values with the line and column of the problem and, for
// members of the wrong type, their JSON path.
func Load(r io.Reader, opts ...LoadOption) (*Schema, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return Decode(data, opts...)
}

// Decode is Load for a document already in memory.
func Decode(data []byte, opts ...LoadOption) (*Schema, error) {
	var cfg loadConfig
	for _, o := range opts {
		o(&cfg)
	}
	root, repairs, err := parseJSON(data, cfg.lenient)
	if err != nil {
		return nil, err
	}
	if cfg.onRepair != nil {
		for _, r := range repairs {
			cfg.onRepair(r)
		}
	}
	d := &decoder{src: data}
	if root.kind != jObject {
		return nil, d.errorf(root, "", "expected a synchronizationSchema, synchronizationRule or objectMapping object (got %s)", root.kind)
	}
	s := &Schema{}
	switch formOf(root) {
	case FormSchema:
		err = d.decode(root, "", s)
	case FormRule:
		s.Form = FormRule
		s.SynchronizationRules = make([]SynchronizationRule, 1)
		err = d.decode(root, "", &s.SynchronizationRules[0])
	case FormObjectMapping:
		s.Form = FormObjectMapping
		s.SynchronizationRules = []SynchronizationRule{{ObjectMappings: make([]ObjectMapping, 1)}}
		err = d.decode(root, "", &s.SynchronizationRules[0].ObjectMappings[0])
	default:
		return nil, d.errorf(root, "", "not a synchronizationSchema, synchronizationRule or objectMapping (expected a member synchronizationRules, objectMappings or attributeMappings)")
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// formOf guesses the shape of a document from its members. The zero-or-
// more-than-one ambiguity is resolved towards the larger shape.
func formOf(root *jnode) Form {
	has := func(names ...string) bool {
		for _, m := range root.mems {
			for _, n := range names {
				if strings.EqualFold(m.key, n) {
					return true
				}
			}
		}
		return false
	}
	switch {
	case has("synchronizationRules", "directories"):
		return FormSchema
	case has("objectMappings"):
		return FormRule
	case has("attributeMappings", "sourceObjectName", "targetObjectName"):
		return FormObjectMapping
	}
	return Form(255)
}

// Save writes the schema in its canonical form: the shape it was loaded
// in, members in Graph order (alphabetical, unmodelled members included),
// two-space indentation and a trailing newline. Saving, loading and saving
// again gives the same bytes.
func (s *Schema) Save(w io.Writer) error {
	data, err := s.canonical()
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// canonical returns what Save writes.
func (s *Schema) canonical() ([]byte, error) {
	var compact bytes.Buffer
	switch s.Form {
	case FormSchema:
		encode(&compact, s)
	case FormRule:
		if len(s.SynchronizationRules) != 1 {
			return nil, fmt.Errorf("mapping: a synchronizationRule document must hold exactly one rule (got %d)", len(s.SynchronizationRules))
		}
		encode(&compact, &s.SynchronizationRules[0])
	case FormObjectMapping:
		if len(s.SynchronizationRules) != 1 || len(s.SynchronizationRules[0].ObjectMappings) != 1 {
			return nil, fmt.Errorf("mapping: an objectMapping document must hold exactly one object mapping")
		}
		encode(&compact, &s.SynchronizationRules[0].ObjectMappings[0])
	default:
		return nil, fmt.Errorf("mapping: unknown form %d", s.Form)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact.Bytes(), "", "  "); err != nil {
		return nil, fmt.Errorf("mapping: internal error: %v", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// rulePath returns the JSON path of rule i in the document.
func (s *Schema) rulePath(i int) string {
	if s.Form == FormSchema {
		return fmt.Sprintf("synchronizationRules[%d]", i)
	}
	return ""
}

// mappingPath returns the JSON path of object mapping j of rule i.
func (s *Schema) mappingPath(i, j int) string {
	if s.Form == FormObjectMapping {
		return ""
	}
	return joinPath(s.rulePath(i), fmt.Sprintf("objectMappings[%d]", j))
}

// unmarshal is the shared UnmarshalJSON: strict parsing, then decode into
// x, which the caller has reset.
func unmarshal(data []byte, x modelled) error {
	n, _, err := parseJSON(data, false)
	if err != nil {
		return err
	}
	return (&decoder{src: data}).decode(n, "", x)
}

// marshal is the shared MarshalJSON: the compact canonical form.
func marshal(x modelled) ([]byte, error) {
	var b bytes.Buffer
	encode(&b, x)
	return b.Bytes(), nil
}

// MarshalJSON writes the compact canonical form of a synchronizationSchema.
func (s Schema) MarshalJSON() ([]byte, error) { return marshal(&s) }

// UnmarshalJSON decodes a synchronizationSchema object.
func (s *Schema) UnmarshalJSON(data []byte) error {
	*s = Schema{}
	return unmarshal(data, s)
}

// MarshalJSON writes the compact canonical form of the rule.
func (x SynchronizationRule) MarshalJSON() ([]byte, error) { return marshal(&x) }

// UnmarshalJSON decodes a synchronizationRule object.
func (x *SynchronizationRule) UnmarshalJSON(data []byte) error {
	*x = SynchronizationRule{}
	return unmarshal(data, x)
}

// MarshalJSON writes the compact canonical form of the object mapping.
func (x ObjectMapping) MarshalJSON() ([]byte, error) { return marshal(&x) }

// UnmarshalJSON decodes an objectMapping object.
func (x *ObjectMapping) UnmarshalJSON(data []byte) error {
	*x = ObjectMapping{}
	return unmarshal(data, x)
}

// MarshalJSON writes the compact canonical form of the attribute mapping.
func (x AttributeMapping) MarshalJSON() ([]byte, error) { return marshal(&x) }

// UnmarshalJSON decodes an attributeMapping object.
func (x *AttributeMapping) UnmarshalJSON(data []byte) error {
	*x = AttributeMapping{}
	return unmarshal(data, x)
}

// MarshalJSON writes the compact canonical form of the source tree.
func (x AttributeMappingSource) MarshalJSON() ([]byte, error) { return marshal(&x) }

// UnmarshalJSON decodes an attributeMappingSource object.
func (x *AttributeMappingSource) UnmarshalJSON(data []byte) error {
	*x = AttributeMappingSource{}
	return unmarshal(data, x)
}
