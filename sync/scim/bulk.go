package scim

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync/provision"
)

// BulkRequest is a plan as one RFC 7644 §3.7 bulk request: the requests
// of Requests, in the same order, as the operations of its body, except
// that a reference cycle stays in the POSTs (the server resolves circular
// references within a bulk request, RFC 7644 §3.7.1, whose example is two
// new groups that contain each other), so that no path holds a bulkId,
// which the RFC defines only in data. Its JSON form is
//
//	{"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
//	 "Operations": [{"method": ..., "bulkId": ..., "path": ..., "data": ...}, ...]}
//
// A server that supports /Bulk resolves the "bulkId:<key>" references
// itself (RFC 7644 §3.7.2); Entra's provisioning service never sends
// /Bulk, and many servers do not implement it, so clients usually send
// the Requests one by one instead.
type BulkRequest struct {
	Operations []Request
}

// Bulk renders the plan as one bulk request (see Requests for the order
// and the errors).
func Bulk(p *provision.Plan, rules ...*mapping.CompiledObjectMapping) (*BulkRequest, error) {
	r, err := newRenderer(p, rules)
	if err != nil {
		return nil, err
	}
	reqs, err := r.requests(p, true)
	if err != nil {
		return nil, err
	}
	return &BulkRequest{Operations: reqs}, nil
}

// bulkJSON fixes the member order of a bulk request.
type bulkJSON struct {
	Schemas    []string            `json:"schemas"`
	Operations []bulkOperationJSON `json:"Operations"`
}

// bulkOperationJSON is one operation of a bulk request (RFC 7644 §3.7).
type bulkOperationJSON struct {
	Method string          `json:"method"`
	BulkID string          `json:"bulkId,omitempty"`
	Path   string          `json:"path"`
	Data   json.RawMessage `json:"data,omitempty"`
}

// MarshalJSON writes the RFC 7644 §3.7 BulkRequest, compact and without
// HTML escaping.
func (b *BulkRequest) MarshalJSON() ([]byte, error) {
	ops := make([]bulkOperationJSON, len(b.Operations))
	for i, r := range b.Operations {
		ops[i] = bulkOperationJSON{Method: r.Method, BulkID: r.BulkID, Path: r.Path, Data: r.Body}
	}
	return marshalSCIM(bulkJSON{Schemas: []string{bulkRequestSchema}, Operations: ops})
}

// WriteJSON writes the bulk request indented by two spaces, with a final
// newline and without HTML escaping. The same plan gives the same bytes.
func (b *BulkRequest) WriteJSON(w io.Writer) error {
	data, err := b.MarshalJSON()
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, data, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}
