package connect

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Connector is a target application as the executor sees it. Resource
// types are SCIM endpoint names ("Users", "Groups"); bodies are the SCIM
// JSON the renderer produced. Implementations must be safe for concurrent
// use.
type Connector interface {
	// List reads one page of a resource type: up to count resources from
	// the 1-based startIndex. excluded names attributes the app may
	// leave out (excludedAttributes).
	List(ctx context.Context, resourceType string, startIndex, count int, excluded ...string) (*Page, error)
	// Lookup returns the resources whose attribute equals value
	// (filter=attr eq "value").
	Lookup(ctx context.Context, resourceType, attr, value string, excluded ...string) ([]Resource, error)
	// Create makes a resource and returns it with the id the server gave.
	Create(ctx context.Context, resourceType string, body json.RawMessage) (Resource, error)
	// Patch applies a PatchOp message to a resource.
	Patch(ctx context.Context, resourceType, id string, body json.RawMessage) (Resource, error)
	// Replace writes a whole resource (PUT).
	Replace(ctx context.Context, resourceType, id string, body json.RawMessage) (Resource, error)
	// Delete removes a resource; a resource already gone is not an error.
	Delete(ctx context.Context, resourceType, id string) error
}

// Resource is one SCIM resource as the server returned it.
type Resource struct {
	// ID is the server's id of the resource; empty when the server
	// answered without a body (a PATCH answered 204).
	ID string
	// Raw is the resource's JSON, nil when there was no body.
	Raw json.RawMessage
}

// Page is one page of a list (RFC 7644 §3.4.2.4 ListResponse).
type Page struct {
	TotalResults int
	StartIndex   int
	Resources    []Resource
}

// Error is a request the target refused or that did not complete.
type Error struct {
	// Method and Path are the request's, relative to the base URL.
	Method, Path string
	// Status is the HTTP status, 0 when no answer came.
	Status int
	// SCIMType and Detail are the server's SCIM error (RFC 7644 §3.12),
	// when it sent one.
	SCIMType, Detail string
	// Attempts is how many times the request was sent.
	Attempts int
	// InDoubt reports that the request may have been carried out though
	// no answer came (a POST whose connection dropped).
	InDoubt bool
	// Err is the transport error when no answer came.
	Err error
}

// Error describes the failure without the token or the request body.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: ", e.Method, e.Path)
	switch {
	case e.Status == 0:
		fmt.Fprintf(&b, "no answer: %v", e.Err)
	default:
		fmt.Fprintf(&b, "%d", e.Status)
		if e.SCIMType != "" {
			fmt.Fprintf(&b, " %s", e.SCIMType)
		}
		if e.Detail != "" {
			fmt.Fprintf(&b, ": %s", e.Detail)
		}
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	if e.InDoubt {
		b.WriteString(" (in doubt: the server may have carried it out)")
	}
	return b.String()
}

// Unwrap returns the transport error.
func (e *Error) Unwrap() error { return e.Err }

// Code names the failure as the provisioning logs' error codes do.
func (e *Error) Code() string {
	switch {
	case e.Status == 0 && isTimeout(e.Err):
		return "Timeout"
	case e.Status == 0:
		return "WebExceptionProtocolError"
	case e.Status == 409:
		return "EntryConflict"
	case e.Status == 429:
		return "TooManyRequests"
	case e.Status == 401:
		return "Unauthorized"
	case e.Status == 403:
		return "InsufficientRights"
	case e.Status == 404:
		return "InvalidAnchor"
	case e.Status == 405:
		return "MethodNotAllowed"
	case e.Status == 501:
		return "NotImplemented"
	case e.Status >= 500:
		return "InternalServerError"
	case e.SCIMType == "invalidPath" || e.SCIMType == "noTarget":
		return "SchemaAttributeNotFound"
	case e.SCIMType == "uniqueness":
		return "EntryConflict"
	}
	return "UnprocessableEntity"
}

// Credentials reports a failure that quarantines the whole job at once,
// whatever the counts: the app refused the credentials (401, 403).
func (e *Error) Credentials() bool { return e.Status == 401 || e.Status == 403 }

// TokenFromFile reads a bearer token from a file, trimming the final
// newline and surrounding spaces. An empty token is an error.
func TokenFromFile(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("token file: %w", err)
	}
	t := strings.TrimSpace(string(data))
	if t == "" {
		return "", fmt.Errorf("token file %s is empty", path)
	}
	if strings.ContainsAny(t, "\r\n") {
		return "", fmt.Errorf("token file %s holds more than one line", path)
	}
	return t, nil
}

// TokenFromEnv reads a bearer token from an environment variable.
func TokenFromEnv(name string) (string, error) {
	t := strings.TrimSpace(os.Getenv(name))
	if t == "" {
		return "", fmt.Errorf("environment variable %s is not set", name)
	}
	return t, nil
}
