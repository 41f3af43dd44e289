package main

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"github.com/balaidesa/balai/sdk"
)

// Village is how a listing names the village a seller, product or order
// belongs to.
type Village struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// places are the villages a request reads from: the request's own village,
// or the villages below a district (or sub-district) where the marketplace
// is enabled. A village that switched the module off is not in the
// district's mall, though its records stay stored.
type places struct {
	names map[string]string
	// all is true when every village below has the module, so a read
	// needs no tenant filter.
	all bool
}

// maxInFilter is the storage engine's bound on the values of an in filter.
const maxInFilter = 1000

// loadPlaces asks the host once per request for the names it needs.
func loadPlaces(r *http.Request) (*places, error) {
	req := sdk.From(r)
	if req.Level == sdk.Village {
		self, _, err := req.TenantInfo(r.Context())
		if err != nil {
			return nil, err
		}
		return &places{names: map[string]string{req.Tenant: self.Name}, all: true}, nil
	}
	below, err := req.TenantsBelow(r.Context(), sdk.Village)
	if err != nil {
		return nil, err
	}
	p := &places{names: map[string]string{}, all: true}
	for _, t := range below {
		if slices.Contains(t.Modules, pluginID) {
			p.names[t.Code] = t.Name
		} else {
			p.all = false
		}
	}
	return p, nil
}

func (p *places) village(code string) Village { return Village{Code: code, Name: p.names[code]} }

// inDistrict lists the enabled villages of the sub-district (kecamatan)
// code, sorted: a village's code is its sub-district's with one more
// part (Kemendagri: 14.01.01.2009 is in 14.01.01).
func (p *places) inDistrict(district string) []string {
	var codes []string
	for c := range p.names {
		if strings.HasPrefix(c, district+".") && !strings.Contains(c[len(district)+1:], ".") {
			codes = append(codes, c)
		}
	}
	slices.Sort(codes)
	return codes
}

// scope narrows q to the enabled villages, or to one of them (?village=),
// or to those of one sub-district (?district=, a regency's mall grouped
// by kecamatan). It reports false when nothing can match.
func (p *places) scope(r *http.Request, q *sdk.Query) (bool, error) {
	req := sdk.From(r)
	district := r.URL.Query().Get("district")
	if district != "" && (len(p.inDistrict(district)) == 0 || req.Level == sdk.Village) {
		return false, sdk.Errorf(http.StatusBadRequest, codeInvalidDistrict, "%s is not a sub-district of %s with the marketplace in one of its villages", district, req.Tenant)
	}
	if v := r.URL.Query().Get("village"); v != "" {
		if _, ok := p.names[v]; !ok || (district != "" && !strings.HasPrefix(v, district+".")) {
			return false, sdk.Errorf(http.StatusBadRequest, codeInvalidVillage, "%s is not a village of %s with the marketplace", v, cmp.Or(district, req.Tenant))
		}
		if v != req.Tenant {
			q.Subtree().Where(sdk.FieldTenant, sdk.Eq, v)
		}
		return true, nil
	}
	if req.Level == sdk.Village {
		return true, nil
	}
	if district != "" {
		q.Subtree().Where(sdk.FieldTenant, sdk.In, p.inDistrict(district))
		return true, nil
	}
	q.Subtree()
	if p.all {
		return true, nil
	}
	if len(p.names) == 0 {
		return false, nil
	}
	if len(p.names) > maxInFilter {
		return false, sdk.Errorf(http.StatusBadRequest, codeTooManyVillages, "%s has more than %d villages with the marketplace among others without it: list by regency or sub-district", req.Tenant, maxInFilter)
	}
	codes := make([]string, 0, len(p.names))
	for c := range p.names {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	q.Where(sdk.FieldTenant, sdk.In, codes)
	return true, nil
}
