package main

import (
	"net/http"

	"github.com/balaidesa/balai/sdk"
)

// places are the villages a request reads from: the request's own
// village, or the villages below a district or regency where the module
// is enabled (the host's Subtree reads leave the others out too).
type places struct {
	names map[string]string
	// codes are the villages in code order.
	codes []string
}

// loadPlaces asks the host once per request for the names it needs.
func loadPlaces(r *http.Request) (*places, error) {
	villages, _, err := sdk.From(r).VillagesWith(r.Context(), pluginID)
	if err != nil {
		return nil, err
	}
	p := &places{names: map[string]string{}}
	for _, t := range villages {
		p.names[t.Code] = t.Name
		p.codes = append(p.codes, t.Code)
	}
	return p, nil
}

func (p *places) village(code string) Village { return Village{Code: code, Name: p.names[code]} }

// scope says how to read the tenant's villages, or one of them
// (?village=, 400 invalid_filter unless it is one with the module): whether
// to read the subtree, and the filters to add.
func (p *places) scope(r *http.Request) (bool, []sdk.Filter, error) {
	req := sdk.From(r)
	v := r.URL.Query().Get("village")
	if req.Level == sdk.Village {
		if v != "" && v != req.Tenant {
			return false, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidFilter, "village must be %s here", req.Tenant)
		}
		return false, nil, nil
	}
	if v == "" {
		return true, nil, nil
	}
	if _, ok := p.names[v]; !ok {
		return false, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidFilter, "%s is not a village of %s with the development module", v, req.Tenant)
	}
	return true, []sdk.Filter{{Field: sdk.FieldTenant, Op: sdk.Eq, Value: v}}, nil
}

// query is the projects' query with subtree and filters applied.
func query(req *sdk.Request, subtree bool, filters []sdk.Filter) *sdk.Query {
	q := req.Records("projects").Query()
	if subtree {
		q.Subtree()
	}
	for _, f := range filters {
		q.Where(f.Field, f.Op, f.Value)
	}
	return q
}
