package mapping

import (
	"encoding/json"
	"strings"

	"github.com/attrmap/attrmap/scoping"
)

// The types below mirror the Microsoft Graph (beta) synchronization
// resources member for member. Each keeps the members it does not model in
// Extra, and remembers which modelled members the document spelled out and
// which it set to null, so that Save writes back what Load read. A value
// built in Go (not loaded) is saved in the full form Graph itself exports:
// every member present, null where Graph writes null.

// Schema is a Graph synchronizationSchema: the directories taking part in
// synchronization and the rules that map objects between them.
type Schema struct {
	Directories          []DirectoryDefinition `json:"directories"`
	SynchronizationRules []SynchronizationRule `json:"synchronizationRules"`
	Version              string                `json:"version"`
	// Extra holds the members Schema does not model, such as "id" or
	// "@odata.context", verbatim.
	Extra map[string]json.RawMessage `json:"-"`

	// Form is the shape of the document the schema was loaded from; Save
	// writes the same shape.
	Form Form `json:"-"`

	w wire
}

// Form is the shape of a schema document.
type Form uint8

// The document shapes Load accepts.
const (
	// FormSchema is a whole synchronizationSchema.
	FormSchema Form = iota
	// FormRule is a bare synchronizationRule; the Schema holds it as its
	// only rule and no directories.
	FormRule
	// FormObjectMapping is a bare objectMapping; the Schema holds it in a
	// rule of its own.
	FormObjectMapping
)

// String names the form as Graph names the resource.
func (f Form) String() string {
	switch f {
	case FormSchema:
		return "synchronizationSchema"
	case FormRule:
		return "synchronizationRule"
	case FormObjectMapping:
		return "objectMapping"
	}
	panic("mapping: unknown form")
}

// DirectoryDefinition is a Graph directoryDefinition: one directory and the
// objects it holds.
type DirectoryDefinition struct {
	ID      string             `json:"id"`
	Name    string             `json:"name"`
	Objects []ObjectDefinition `json:"objects"`
	// Extra holds unmodelled members (discoverabilities, readOnly, ...).
	Extra map[string]json.RawMessage `json:"-"`

	w wire
}

// ObjectDefinition is a Graph objectDefinition: an object type, such as
// User, and its attributes.
type ObjectDefinition struct {
	Attributes []AttributeDefinition `json:"attributes"`
	Name       string                `json:"name"`
	// Extra holds unmodelled members (metadata, supportedApis, ...).
	Extra map[string]json.RawMessage `json:"-"`

	w wire
}

// AttributeDefinition is a Graph attributeDefinition: the properties of one
// attribute of an object type.
type AttributeDefinition struct {
	Anchor            bool               `json:"anchor"`
	CaseExact         bool               `json:"caseExact"`
	DefaultValue      string             `json:"defaultValue"`
	FlowNullValues    bool               `json:"flowNullValues"`
	Multivalued       bool               `json:"multivalued"`
	Mutability        string             `json:"mutability"`
	Name              string             `json:"name"`
	ReferencedObjects []ReferencedObject `json:"referencedObjects"`
	Required          bool               `json:"required"`
	Type              AttributeType      `json:"type"`
	// Extra holds unmodelled members (apiExpressions, metadata, ...).
	Extra map[string]json.RawMessage `json:"-"`

	w wire
}

// AttributeType is the value type of an attribute definition.
type AttributeType string

// The attribute types Graph documents. The empty type means String.
const (
	TypeString    AttributeType = "String"
	TypeInteger   AttributeType = "Integer"
	TypeReference AttributeType = "Reference"
	TypeBinary    AttributeType = "Binary"
	TypeBoolean   AttributeType = "Boolean"
	TypeDateTime  AttributeType = "DateTime"
)

// ReferencedObject is a Graph referencedObject: the object type a Reference
// attribute points to, such as User for manager.
type ReferencedObject struct {
	ReferencedObjectName string `json:"referencedObjectName"`
	ReferencedProperty   string `json:"referencedProperty"`
	// Extra holds unmodelled members.
	Extra map[string]json.RawMessage `json:"-"`

	w wire
}

// SynchronizationRule is a Graph synchronizationRule: the object mappings
// from one directory to another.
type SynchronizationRule struct {
	Editable            bool            `json:"editable"`
	ID                  string          `json:"id"`
	Name                string          `json:"name"`
	ObjectMappings      []ObjectMapping `json:"objectMappings"`
	Priority            int32           `json:"priority"`
	SourceDirectoryName string          `json:"sourceDirectoryName"`
	TargetDirectoryName string          `json:"targetDirectoryName"`
	// Extra holds unmodelled members (metadata, containerFilter, ...).
	Extra map[string]json.RawMessage `json:"-"`

	w wire
}

// ObjectMapping is a Graph objectMapping: how objects of one type are
// matched, scoped and transformed from the source to the target directory.
type ObjectMapping struct {
	AttributeMappings []AttributeMapping `json:"attributeMappings"`
	Enabled           bool               `json:"enabled"`
	// FlowTypes lists the enabled operations, "Add, Update, Delete" by
	// default; see Flows.
	FlowTypes string `json:"flowTypes"`
	Name      string `json:"name"`
	// Scope is the scoping filter; nil means none (everyone is in scope).
	Scope            *scoping.Filter `json:"scope"`
	SourceObjectName string          `json:"sourceObjectName"`
	TargetObjectName string          `json:"targetObjectName"`
	// Extra holds unmodelled members (metadata, ...).
	Extra map[string]json.RawMessage `json:"-"`

	w wire
}

// ObjectFlows is the parsed form of ObjectMapping.FlowTypes.
type ObjectFlows struct {
	Add, Update, Delete bool
}

// Flows parses FlowTypes, a comma-separated list of Add, Update and Delete
// in any case. Empty means all three, Graph's default. Unknown words are
// ignored here and reported by Validate.
func (m *ObjectMapping) Flows() ObjectFlows {
	if strings.TrimSpace(m.FlowTypes) == "" {
		return ObjectFlows{Add: true, Update: true, Delete: true}
	}
	var f ObjectFlows
	for _, w := range strings.Split(m.FlowTypes, ",") {
		switch strings.ToLower(strings.TrimSpace(w)) {
		case "add":
			f.Add = true
		case "update":
			f.Update = true
		case "delete":
			f.Delete = true
		}
	}
	return f
}

// AttributeMapping is a Graph attributeMapping: how one target attribute
// gets its value.
type AttributeMapping struct {
	// DefaultValue flows when the source evaluates to null (see Apply for
	// when exactly). Graph writes null for "no default"; so does Save for
	// an empty DefaultValue unless the document had "".
	DefaultValue string `json:"defaultValue"`
	// ExportMissingReferences is "for internal use only" in Graph; it is
	// kept and written back.
	ExportMissingReferences bool         `json:"exportMissingReferences"`
	FlowBehavior            FlowBehavior `json:"flowBehavior"`
	FlowType                FlowType     `json:"flowType"`
	// MatchingPriority above 0 makes the attribute a matching attribute;
	// lower values are tried first.
	MatchingPriority int32 `json:"matchingPriority"`
	// Source is nil for a mapping without source (the portal's "None"
	// type), which only supplies DefaultValue.
	Source              *AttributeMappingSource `json:"source"`
	TargetAttributeName string                  `json:"targetAttributeName"`
	// Extra holds unmodelled members.
	Extra map[string]json.RawMessage `json:"-"`

	w wire
}

// FlowType says when a mapping updates the target attribute.
type FlowType string

// The flow types Graph documents. The empty flow type means Always.
const (
	// Always applies the mapping on create and update.
	Always FlowType = "Always"
	// ObjectAddOnly applies the mapping only when the object is created
	// (the portal's "Only during creation").
	ObjectAddOnly FlowType = "ObjectAddOnly"
	// MultiValueAddOnly only adds values to a multi-valued attribute.
	MultiValueAddOnly FlowType = "MultiValueAddOnly"
	// ValueAddOnly only adds values, never removes them.
	ValueAddOnly FlowType = "ValueAddOnly"
	// AttributeAddOnly only sets the attribute when the target has no
	// value for it.
	AttributeAddOnly FlowType = "AttributeAddOnly"
)

// FlowBehavior says when a mapped value is exported to the target.
type FlowBehavior string

// The flow behaviors Graph documents. The empty behavior means
// FlowWhenChanged.
const (
	FlowWhenChanged FlowBehavior = "FlowWhenChanged"
	FlowAlways      FlowBehavior = "FlowAlways"
)

// MappingType is the portal's name for the kind of a mapping.
type MappingType uint8

// The mapping types of the portal.
const (
	// None has no source: the mapping only supplies its default value.
	None MappingType = iota
	// Direct copies a source attribute (source type Attribute).
	Direct
	// Constant flows a fixed string (source type Constant).
	Constant
	// Expression computes the value (source type Function).
	Expression
)

// String returns the portal's name of the type.
func (t MappingType) String() string {
	switch t {
	case None:
		return "None"
	case Direct:
		return "Direct"
	case Constant:
		return "Constant"
	case Expression:
		return "Expression"
	}
	panic("mapping: unknown mapping type")
}

// mappingType is the mapping type, from the source's type.
func (m *AttributeMapping) mappingType() MappingType {
	if m.Source == nil {
		return None
	}
	switch m.Source.kind() {
	case SourceAttribute:
		return Direct
	case SourceConstant:
		return Constant
	}
	return Expression
}

// AttributeMappingSource is a Graph attributeMappingSource: an expression
// as a tree. Type Attribute names a source attribute, Constant holds a
// string, Function calls Name with Parameters. Expression is the same
// expression as text; Text and SourceFromExpression convert between the two.
type AttributeMappingSource struct {
	Expression string      `json:"expression"`
	Name       string      `json:"name"`
	Parameters []Parameter `json:"parameters"`
	Type       SourceType  `json:"type"`
	// Extra holds unmodelled members.
	Extra map[string]json.RawMessage `json:"-"`

	w wire
}

// SourceType is the type of an attributeMappingSource node.
type SourceType string

// The source node types. The empty type means Attribute, Graph's default.
const (
	SourceAttribute SourceType = "Attribute"
	SourceConstant  SourceType = "Constant"
	SourceFunction  SourceType = "Function"
)

// kind returns the node type with Graph's default applied and the case
// normalised.
func (s *AttributeMappingSource) kind() SourceType {
	switch {
	case s.Type == "" || strings.EqualFold(string(s.Type), string(SourceAttribute)):
		return SourceAttribute
	case strings.EqualFold(string(s.Type), string(SourceConstant)):
		return SourceConstant
	case strings.EqualFold(string(s.Type), string(SourceFunction)):
		return SourceFunction
	}
	return s.Type
}

// Parameter is a Graph stringKeyAttributeMappingSourceValuePair: one
// argument of a function node, keyed by its parameter name.
type Parameter struct {
	Key   string                  `json:"key"`
	Value *AttributeMappingSource `json:"value"`
	// Extra holds unmodelled members.
	Extra map[string]json.RawMessage `json:"-"`

	w wire
}
