// Package mapping models Microsoft Entra ID provisioning schemas (the
// Microsoft Graph synchronizationSchema) and applies their attribute
// mappings to source objects.
//
// A Schema mirrors the Graph JSON: directories → objects → attributes, and
// synchronizationRules → objectMappings → attributeMappings with their
// source trees and scoping filters. Load reads one losslessly: members the
// package does not model are kept, and Save writes the document back in a
// stable form (Graph's member order, two-space indentation), so that
// load → save → load → save gives the same bytes. Load also accepts a bare
// synchronizationRule or objectMapping, reports invalid JSON with its line
// and column, and with Lenient repairs what people paste from web pages.
//
//	s, err := mapping.Load(f)
//	if err != nil {
//		return err // line 12, column 5: trailing comma before ']' (use --lenient to drop it)
//	}
//	for _, e := range s.Validate() {
//		fmt.Println(e) // synchronizationRules[0].objectMappings[0].attributeMappings[3].source: ...
//	}
//	m, err := s.Compile("USER_OUTBOUND_USER", "") // compile once ...
//	if err != nil {
//		return err
//	}
//	t, err := m.Apply(expr.NewEnv(user), mapping.ApplyOptions{OnCreate: true}) // ... apply to many
//
// # Expressions as text and as trees
//
// Graph stores each mapping's source twice: as expression text and as an
// attributeMappingSource tree whose function parameters are keyed by name.
// SourceFromExpression builds the tree from text, with the parameter names
// the service uses (Replace's "Find" and "Replacement", Switch's
// "switchValue", ...) and empty arguments left out, as parseExpression does;
// AttributeMappingSource.Text goes the other way. Validate reports a source
// whose text and tree disagree. The comparison operators, which Graph
// documents no tree for, become Function nodes named after the operator with
// parameters "left" and "right".
//
// # Applying mappings
//
// CompiledObjectMapping.Apply follows the documented service behaviour:
// Direct, Constant and Expression mappings; default values for null results
// (see Default values below);
// ObjectAddOnly mappings only on create; IgnoreFlowIfNullOrEmpty; Redact
// (the value flows, explanations show [Redact]); values shaped to
// multi-valued target attributes; and change detection that honours each
// target attribute's caseExact. Null results do not flow, because the
// service does not provision null values. See Apply for the details.
//
// A value that flows has the target attribute's type:
// AttributeDefinition.Convert turns "True" into a boolean for a Boolean
// attribute, "5" into a number for an Integer one and a boolean or a
// number into text for a String one, and reports a value that does not
// convert as the attribute's error. It is the one conversion: Graph's
// parseExpression (attrmap eval --parse-expression) and the SCIM
// renderer use it too. Comparison (Equal) is unchanged by it: for a
// Boolean attribute true, "True" and "true" are one value.
//
// # Default values
//
// The one place the rule for default values is stated. The reference says
// two things (customize-application-attributes.md): the "Default value if
// null" of a mapping "is only provisioned when a user is created. The
// 'default value when null' isn't provisioned when updating an existing
// user", and a mapping of type None leaves the target attribute unmodified,
// "however, if the target attribute is ever empty, it populates with the
// default value that you specify". attrmap follows both literally:
//
//   - Direct, Constant and Expression mappings: a null result takes the
//     default value when the object is created, never on an update, even
//     when the target attribute is empty (the null does not flow).
//   - None mappings (no source): the default value is written on create,
//     and on every update that finds the target attribute empty (absent, or
//     an empty string); a target attribute with a value is left alone.
//
// The golden scenario testdata/sync/default-values shows both types on
// create and update.
//
// Those rules are written once, in CompiledObjectMapping.ApplyTo: the
// allocation-free core that writes one Explanation per attribute mapping
// into the caller's buffer, asking the ApplyOptions for the target's
// current values, SelectUniqueValue's uniqueness check and the random
// source only where a mapping needs them. Apply adds the Target attribute
// set; the sync planner calls ApplyTo for every object of a cycle, the map
// command and the REPL call Apply. CompiledAttribute.CaseExact is the one
// comparison rule (exact for caseExact attributes, never for Booleans)
// that CompiledAttribute.Equal, SelectUniqueValue's kept value and the
// planner's lookups share.
//
// # The Graph JSON
//
// wire.go describes each modelled Graph member once (members(): its name,
// whether a zero value is written as null, and its field); decoding and
// encoding both walk that one list, and members the package does not
// model are kept verbatim. Load errors are *LoadError values, the module's
// one decode error type (internal/diag), with line, rune column and JSON
// path.
//
// # Listings
//
// WriteListing prints a schema's mappings one per line,
// "target <- expression | markers", for code review; ImportListing reads
// such a listing back, merging it into the schema it came from.
//
// # Reviewing changes
//
// The sibling package mapping/schemadiff compares two schemas
// semantically, for review before a change is saved.
package mapping
