// Package scim renders a provisioning plan (package sync/provision) as
// the SCIM 2.0 requests (RFC 7643, RFC 7644) a target receives: the
// ordered list of single requests a client sends one at a time
// (Requests), or one RFC 7644 bulk request (Bulk, what `attrmap plan
// --format scim` prints).
//
//	reqs, err := scim.Requests(plan, rules...)
//	ids := map[string]string{}              // bulkId -> id the server assigned
//	for _, r := range reqs {
//		r, err = r.Resolve(ids)             // bulkId:<key> -> ids[key]
//		// send r.Method r.Path with body r.Body (Content-Type application/scim+json)
//		if r.BulkID != "" {
//			ids[r.BulkID] = idOfThe201Response
//		}
//	}
//
// # Executing the requests
//
// Each Request says which operation of the plan it carries out
// (Request.Op, an index in plan.Ops), for which object type and source
// object (Type, Source). Send them in order and stop at the first failure:
// a later request may refer to an object an earlier one creates. A POST's
// BulkID is the key under which to record the "id" of the server's 201
// response; Resolve then puts it in place of every "bulkId:<key>" of
// later requests (in the path of a PATCH, and in reference values
// {"value": "bulkId:<key>"} of a body), and fails on a key it has no id
// for, so nothing is sent with a placeholder. The POST of a create also
// carries the create's follow-up update (provision.Op.FollowUp), which
// then has no request of its own unless a reference cycle leaves part of
// it for a PATCH (whose Op is then the follow-up). DELETE has no body;
// PATCH bodies are PatchOp messages; POST bodies are resources.
//
// # Request shapes
//
// Create is POST to the type's endpoint ("/Users", "/Groups", otherwise
// the object name plus "s"). The attribute paths Entra's SCIM connector
// uses are expanded into the resource: "name.givenName" into {"name":
// {"givenName": ...}}, `emails[type eq "work"].value` into "emails":
// [{"type": "work", "value": ...}] (only what the path says: no "primary"
// is added, as in the phoneNumbers example of Entra's attribute-mapping
// guide), and "urn:...:User:department" into the extension's object.
// "schemas" comes first and lists the core schema (core:2.0:User,
// core:2.0:Group) and each extension used; then the core attributes, then
// the extensions, each sorted by name, as are the members of nested
// objects.
//
// The references a create has (a manager, group members) go into its POST,
// also those to objects created in the same plan, which the planner sets
// in a follow-up update: the creates are ordered so that a referenced
// object is created first (plan order otherwise). A reference cycle (two
// new users managing each other, a new group that contains itself) is
// broken at its first object in plan order: its POST leaves out the
// references to objects not created yet, and a PATCH right after the
// creates adds them. Why not a PATCH after every create, as Entra does:
// that PATCH must name the new object by the id the server assigned, and
// servers do not resolve "bulkId:" in a request path (a PATCH to
// /Users/bulkId:u-dave gets 404 from real servers); folding the
// reference into the POST needs no id of the object itself and saves a
// request. Such a PATCH is sent by the client after Resolve has put the
// assigned id in its path. In a bulk request (Bulk) the cycle stays in the
// POSTs instead: RFC 7644 §3.7.1 has the server resolve circular
// references within a bulk request (its example is two new groups that
// contain each other), and defines bulkId only in data, never in a path.
//
// Update and Disable are PATCH to the resource with a PatchOp message,
// one operation per change in change order: "add" when the old value is
// null, "remove" of the path when the new value is null, "replace"
// otherwise. A path with a value filter is sent as it is, so a change to
// one sub-attribute of an existing complex value (the postal code of an
// existing work address) sets that sub-attribute and does not add a
// second value: `{"op": "add", "path": "addresses[type eq
// \"work\"].postalCode", "value": "98052"}`. Entra sends filtered paths
// the same way (`{"op": "Replace", "path": "emails[type eq
// \"work\"].value"}` in its documented update request), and Microsoft's
// reference SCIM implementation (AzureAD/SCIMReferenceCode) reads exactly
// these paths: it sets the sub-attribute of the value of that type, and
// creates the value when the user has none (RFC 7644 §3.5.2.1: add
// creates what does not exist). Filter literals are typed: "primary" is a
// Boolean in RFC 7643, so Entra's attribute name `roles[primary eq
// "True"].value` is sent as the path `roles[primary eq true].value`; a
// string filter on a Boolean matches nothing on strict servers.
//
// A set change (values added to and removed from a multi-valued
// attribute) is one "add" with the values added and one "remove" with the
// path of the attribute and the values removed:
// `{"op": "remove", "path": "members", "value": [{"value": "t-5"}]}` is
// Entra's documented member removal, and the same shape for a plain
// string list, `{"op": "remove", "path": "proxyAddresses", "value":
// ["smtp:a@x"]}`, is what servers accept: a value filter over plain
// strings (proxyAddresses[value eq "smtp:a@x"]) is ignored by some and
// breaks the path parser of others on the colon. Delete is DELETE of the
// resource.
//
// # Values
//
// Values follow the target attribute's definition in the schema (the
// rules) and RFC 7643. Boolean is JSON true/false, Integer a number (a
// plan's value goes through mapping.AttributeDefinition.Convert, so the
// strings "True" and "3" of an older plan read from JSON are sent typed
// too, and a value that is neither is an error naming it), a date-time
// RFC 3339 text, Reference {"value": id} (a list of them for a
// multi-valued attribute such as members). The manager is {"value": id}
// in PATCH too, as RFC 7643 §4.3 defines it; Entra sends the bare id
// string instead, a known deviation that Microsoft confirmed on Microsoft
// Q&A ("SCIM user provisioning setup with manager attribute"). The
// multi-valued attributes RFC 7643 defines as complex (emails,
// phoneNumbers, ims, photos, addresses, groups, entitlements, roles,
// x509Certificates, members), and any attribute the rule also maps with a
// value filter (roles when roles[primary eq "True"].value is mapped), take
// objects: "roles": [{"value": "Engineer"}], never ["Engineer"], which
// servers reject with 400. Other multi-valued attributes
// (proxyAddresses) are lists of strings. Without a rule a value keeps its
// own kind: plan strings, including "True" and "False", stay strings.
//
// Objects created in the same list are referred to as "bulkId:<id>", the
// RFC 7644 §3.7.2 form, where <id> is the id the plan gave the new object
// (provision.Op.Target). RFC 7643 §3.1 reserves "bulkId", so no real id
// can contain it; a string value of another attribute that begins with
// "bulkId:" is refused, since a bulk server would resolve it.
//
// Redacted values are rendered as they are, since these are the requests
// to send: treat the output as a secret when the mapping redacts
// passwords. A plan read back from JSON holds only the [Redact]
// placeholder; rendering then returns an error naming the attributes
// rather than send the placeholder. The same plan gives the same bytes.
package scim
