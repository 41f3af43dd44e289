package tenancy

import "strings"

// Region is part of the tenant tree: Root and every tenant below it, except
// the tenants of its Holes. A hole's own holes belong to the region again, so
// that nested settings (a district switches a module off, one of its villages
// back on) are described exactly.
type Region struct {
	Root  string
	Holes []Region
}

// RegionClause is a SQL condition on col matching the tenants of any of
// regions, with its arguments: SubtreeClause for regions with holes. No
// region matches nothing ("1 = 0").
func RegionClause(col string, regions []Region) (string, []any) {
	if len(regions) == 0 {
		return "1 = 0", nil
	}
	var whole []string
	var parts []string
	var args []any
	for _, r := range regions {
		if len(r.Holes) == 0 {
			whole = append(whole, r.Root)
			continue
		}
		sub, subArgs := SubtreeClause(col, []string{r.Root})
		holes, holeArgs := RegionClause(col, r.Holes)
		parts = append(parts, "("+sub+" AND NOT "+holes+")")
		args = append(append(args, subArgs...), holeArgs...)
	}
	if len(whole) > 0 {
		sub, subArgs := SubtreeClause(col, whole)
		parts = append([]string{sub}, parts...)
		args = append(subArgs, args...)
	}
	if len(parts) == 1 {
		return parts[0], args
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}
