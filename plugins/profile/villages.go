package main

import (
	"net/http"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// VillageItem is one village of GET /villages.
type VillageItem struct {
	Code        string  `json:"code"`
	Name        string  `json:"name"`
	SubDistrict *Region `json:"sub_district"`
	// Head is the head of village from the profile; "" without one.
	Head string `json:"head"`
	// Population as in the profile: 0 and a null time until counted.
	Population          int64      `json:"population"`
	PopulationCountedAt *time.Time `json:"population_counted_at"`
	// Modules enabled in the village, sorted.
	Modules []string `json:"modules"`
	// HasProfile is true once the village saved its profile; Version is
	// its edition (0 before).
	HasProfile bool       `json:"has_profile"`
	Version    int64      `json:"version"`
	UpdatedAt  *time.Time `json:"updated_at"`
}

// listVillages answers GET /villages at a sub-district, district or
// province: every village below, in code order, with or without a profile,
// ?q= searching the names, paged by ?page=&limit=. It costs one call for
// the tenant tree (with each tenant's modules) and one storage query for
// the profiles of the page's villages, whatever their number.
//
// At a village it answers 422 no_villages_below: a village has no villages
// below it, and its own profile is GET /profile.
func listVillages(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	if req.Level == sdk.Village {
		return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeNoVillagesBelow,
			"%s is a village: the villages are listed at a sub-district or district; this village's profile is GET /api/v1/t/%s/profile", req.Tenant, req.Tenant)
	}
	offset, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	q := strings.ToLower(strings.Join(strings.Fields(r.URL.Query().Get("q")), " "))
	ctx := r.Context()
	// Every level below, in one call: the villages, and the names of the
	// sub-districts they lie in.
	below, err := req.TenantsBelow(ctx, "")
	if err != nil {
		return 0, nil, err
	}
	subDistricts := map[string]string{}
	var villages []sdk.Tenant
	for _, t := range below {
		switch t.Level {
		case sdk.District:
			subDistricts[t.Code] = t.Name
		case sdk.Village:
			if q == "" || strings.Contains(strings.ToLower(t.Name), q) {
				villages = append(villages, t)
			}
		}
	}
	total := len(villages)
	page := sdk.PageOf(villages, offset, limit)
	byTenant := map[string]*stored{}
	if len(page) > 0 {
		codes := make([]string, len(page))
		for i, v := range page {
			codes[i] = v.Code
		}
		recs, _, err := req.Records(collection).Query().Subtree().Where(sdk.FieldTenant, sdk.In, codes).Page(0, len(codes)).Run(ctx)
		if err != nil {
			return 0, nil, err
		}
		for _, rec := range recs {
			var s stored
			if err := rec.Decode(&s); err != nil {
				return 0, nil, err
			}
			byTenant[rec.Tenant] = &s
		}
	}
	if req.Level == sdk.District && len(page) > 0 {
		// At a sub-district its villages' parent is the tenant itself,
		// which the tree below does not hold.
		self, _, err := req.TenantInfo(ctx)
		if err != nil {
			return 0, nil, err
		}
		subDistricts[req.Tenant] = self.Name
	}
	items := make([]VillageItem, 0, len(page))
	for _, v := range page {
		it := VillageItem{Code: v.Code, Name: v.Name, Modules: v.Modules}
		if it.Modules == nil {
			it.Modules = []string{}
		}
		if name, ok := subDistricts[v.Parent]; ok {
			it.SubDistrict = &Region{Code: v.Parent, Name: name}
		}
		if s := byTenant[v.Code]; s != nil {
			it.Head, it.Population, it.PopulationCountedAt = s.Head, s.Population, s.CountedAt
			it.HasProfile, it.Version, it.UpdatedAt = s.Edition > 0, s.Edition, s.EditedAt
		}
		items = append(items, it)
	}
	return http.StatusOK, sdk.ListOf[VillageItem]{Items: items, Total: int64(total)}, nil
}
