// Package objfile reads "a file of objects": the one reader behind the
// planner's snapshots (sync/provision.ReadSnapshot), the CLI's -i files
// (eval, map, scope) and the REPL's :load, so that they agree on every
// input.
//
// The format is told by content, with no flag:
//
//   - a JSON array of objects, JSON lines, or one JSON object;
//   - Microsoft Graph responses: pages {"@odata.context": ..., "value":
//     [...]} (several in one file, or one file per page in a directory,
//     see Open), and single objects with @odata members;
//   - SCIM 2.0 resources and ListResponse pages;
//   - CSV with a header row, separated by commas or semicolons (whichever
//     the header has more of), with or without the "#TYPE" line Windows
//     PowerShell's Export-Csv writes, with quoted multi-line cells;
//   - in UTF-8 with or without a byte order mark, or UTF-16 (little or big
//     endian) with one.
//
// Objects are returned one at a time (Reader.Next), their members as the
// JSON text or CSV cell of each value, so that a caller can convert and
// intern values without a map per object.
//
// # Names
//
// Graph and SCIM objects are flattened into the attribute names
// provisioning expressions and mappings use:
//
//   - Graph: @odata annotations go; id is objectId; mobilePhone,
//     businessPhones (a single number), officeLocation and faxNumber are
//     mobile, telephoneNumber, physicalDeliveryOfficeName and
//     facsimileTelephoneNumber; onPremisesExtensionAttributes'
//     extensionAttribute1..15 keep their own names; other complex
//     properties are dotted paths (employeeOrgData.costCenter); an
//     expanded directory object (manager) is a reference to its id, a
//     collection of them (members) the list of ids; directory extensions
//     (extension_<appId>_name) stay as they are. Options.SourceAttributes,
//     the attributes of the schema's "Azure Active Directory" directory,
//     take precedence over this built-in table (GraphNames) where they
//     list a name.
//   - SCIM: name.givenName; emails[type eq "work"].value and the other
//     typed elements of multi-valued attributes; [primary eq "True"] for
//     an untyped primary element (roles[primary eq "True"].value); the
//     values of the other elements as the attribute itself (roles,
//     members), so that each element has one flat form; the
//     enterprise extension as urn:...:enterprise:2.0:User:department;
//     references (manager, members) as the ids their value members hold.
//     schemas and meta go; meta.resourceType gives objectType.
//   - Nested objects of plain JSON become dotted names too.
//
// In CSV an empty cell is an absent attribute, a column whose header ends
// in "[]" (proxyAddresses[]) is multi-valued with one value per line of
// its cell, and a row with more or fewer cells than the header is an error
// (reading goes on with the next row).
//
// # Speed
//
// JSON lines and arrays are read in one pass per object: a hand-written
// scanner checks the syntax exactly as encoding/json does and cuts the
// top-level members as it goes (about 1 GB/s; encoding/json's Decoder
// scans each object twice, and splitting it took a third pass). At the
// first byte it is not sure of (a syntax error, a value that is not an
// object, nesting deeper than 64 levels, text after the array) it hands
// the rest of the input to encoding/json's Decoder in the state the
// Decoder would have reached there, so errors and their positions are
// those encoding/json always gave (FuzzFastMatchesDecoder compares the
// two on any input). ScanObject and ScanValue offer the scanner to other
// readers of JSON (the planner's state).
//
// A long JSON stream or array can be read on several cores: Chunked cuts
// it into chunks at line ends, ChunkReaders read the chunks' objects on
// goroutines of their own, and at the first chunk that is not a sequence
// of plain objects (an error, a page, an object spanning the cut)
// Chunker.Resume hands the rest to a sequential Reader in the state
// reading from the start would have reached, so that what is read, and
// every error and position, is the same (FuzzChunkedMatchesWhole). Only
// files whose objects lie on lines of their own gain: in an array
// pretty-printed over several lines per object the first cut falls
// inside an object, and the sequential Reader reads it all.
//
// # Errors
//
// Anything the reader cannot read is an *Error naming the file, the line
// and column, the object, and what was expected; nothing is silently left
// empty. Objects are numbered from 1 across the whole input: in a
// directory of pages the numbers count on from one file to the next (in
// name order), so "object 4" (and the "#4" key of an object without an
// id) names one object of the export, while the line and column are
// within the file the error names. A Graph page with an @odata.nextLink, or a SCIM ListResponse short
// of its totalResults, at the end of the input is reported by Incomplete.
package objfile
