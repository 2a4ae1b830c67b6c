// Package connect talks to the target application: a Connector reads,
// looks up, creates, patches, replaces and deletes target objects, and
// SCIMClient is its SCIM 2.0 (RFC 7644) implementation over HTTP, as the
// Microsoft Entra provisioning service is a SCIM client.
//
//	token, _ := connect.TokenFromFile("token.txt") // or TokenFromEnv; never a flag
//	c, _ := connect.NewSCIMClient(connect.SCIMConfig{BaseURL: "https://app.example/scim", Token: token})
//	target, _ := connect.ReadTarget(ctx, c, rules, connect.ReadOptions{}) // the planner's target snapshot
//	res, err := c.Create(ctx, "Users", body)                             // res.ID is the server's id
//
// # Requests and retries
//
// Every request carries "Authorization: Bearer <token>" and
// "Content-Type: application/scim+json". The token is never part of an
// error message or a log. SCIMConfig.MaxConcurrent bounds the requests in
// flight (by default 4), and SCIMConfig.Timeout each attempt (by default
// 30 s); the caller's context cancels everything.
//
// A 429 Too Many Requests and any 5xx answer are retried, up to
// Retry.MaxAttempts attempts in all, after the delay the server asks for
// in Retry-After (seconds or an HTTP date; capped at Retry.MaxDelay) or
// else an exponential backoff with full jitter (Retry.BaseDelay doubled
// per attempt, a random duration up to that, capped at Retry.MaxDelay).
// A request that failed before an answer came (a dropped connection, a
// timeout) is retried the same way when it is idempotent (GET, PUT,
// PATCH, DELETE); a POST is not, since the server may have created the
// object: its error says so (Error.InDoubt), and the next cycle finds the
// object by its matching attribute instead of creating it twice.
//
// Any other 4xx answer is not retried: it is an *Error with the status and
// the server's SCIM error (scimType, detail; RFC 7644 §3.12), which the
// executor reports on the object. Error.Code names it as the provisioning
// logs do (Conflict, TooManyRequests, InternalServerError, Unauthorized,
// InvalidAnchor, Timeout, ...). A DELETE answered 404 is a success: the
// object is gone, which is what was asked.
//
// # Reading the target
//
// ReadTarget lists every resource type the object mappings write with
// paged GETs (startIndex, count; groups with excludedAttributes=members
// when no mapping writes members), and flattens each resource into a
// target snapshot object under the mappings' target attribute names:
// "name.givenName" reads the sub-attribute, `emails[type eq "work"].value`
// the value of the matching element, "urn:...:User:department" the
// extension's member, and a complex value with a "value" (manager,
// members, roles) its values. LookupTarget instead looks each source
// object up as the service does in incremental cycles: a linked object by
// the id cached in the state (filter=id eq "..."), another by its matching
// attributes in priority order (filter=userName eq "..."), and the linked
// objects whose source is gone by id, so that their deletes are planned.
package connect
