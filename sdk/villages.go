package sdk

import (
	"context"
	"slices"
)

// VillagesWith lists the villages a roll-up of module counts from the
// request's tenant: at a village the village itself (a module's handler
// runs only where the module is enabled), elsewhere the villages below
// where module is enabled (Tenant.Modules), in code order. districts
// names the districts below by code, so that a village's row can say its
// district (districts[v.Parent]); it is empty at a village or a district,
// whose rows need no district. One call to the host.
//
// A village with the module off is left out because its data is not read
// (a Subtree query or aggregate skips it too) and counting it would
// understate every rate.
func (r *Request) VillagesWith(ctx context.Context, module string) (villages []Tenant, districts map[string]string, err error) {
	districts = map[string]string{}
	if r.Level == Village {
		self, _, err := r.TenantInfo(ctx)
		if err != nil {
			return nil, nil, err
		}
		return []Tenant{self}, districts, nil
	}
	below, err := r.TenantsBelow(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	for _, t := range below {
		switch t.Level {
		case Village:
			if slices.Contains(t.Modules, module) {
				villages = append(villages, t)
			}
		case District:
			districts[t.Code] = t.Name
		}
	}
	return villages, districts, nil
}
