package main

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// EnterpriseInput is the body of POST /enterprises. Kind defaults to desa
// at a village and bersama at a district; Members (village codes of the
// district, two or more) only for a bersama. PerdesNumber is the founding
// Perdes (for a bersama, the Peraturan Bersama Kepala Desa).
type EnterpriseInput struct {
	Kind               string   `json:"kind,omitempty"`
	Name               string   `json:"name"`
	RegistrationNumber string   `json:"registration_number,omitempty"`
	PerdesNumber       string   `json:"perdes_number,omitempty"`
	PerdesDate         string   `json:"perdes_date,omitempty"`
	Address            string   `json:"address,omitempty"`
	Members            []string `json:"members,omitempty"`
	Classification     string   `json:"classification,omitempty"`
	ClassificationYear int      `json:"classification_year,omitempty" range:"invalid_year"`
}

// enterprise is an enterprises record's fields: the input as cleaned,
// the one-per-village marker and who registered it.
type enterprise struct {
	EnterpriseInput
	One          string `json:"one,omitempty"`
	RegisteredBy string `json:"registered_by,omitempty"`
}

// EnterprisePatch is the body of PATCH /enterprises/{id}: the fields to
// change; members do not change (a new joint regulation is a new
// enterprise).
type EnterprisePatch struct {
	Name               *string `json:"name"`
	RegistrationNumber *string `json:"registration_number"`
	PerdesNumber       *string `json:"perdes_number"`
	PerdesDate         *string `json:"perdes_date"`
	Address            *string `json:"address"`
	Classification     *string `json:"classification"`
	ClassificationYear *int    `json:"classification_year" range:"invalid_year"`
}

// EnterpriseView is an enterprise as the API answers it. Joint is true for
// a BUMDes Bersama shown at a member village (from its copy there; Tenant
// is then the district that keeps it). Totals are the reports' sums per
// year, newest first, on GET /enterprises/{id} only.
type EnterpriseView struct {
	ID         string `json:"id"`
	Tenant     string `json:"tenant"`
	TenantName string `json:"tenant_name,omitempty"`
	Version    int64  `json:"version"`
	EnterpriseInput
	// MemberVillages names a BUMDes Bersama's members (Members, in
	// order) for pages and readers: the names the villages had when the
	// district last saved the enterprise; Name is empty on a member's copy
	// saved before names were kept.
	MemberVillages []Member    `json:"member_villages,omitempty"`
	Joint          bool        `json:"joint,omitempty"`
	CreatedAt      time.Time   `json:"created_at"`
	UpdatedAt      time.Time   `json:"updated_at"`
	Units          []UnitView  `json:"units,omitempty"`
	Management     []Manager   `json:"management,omitempty"`
	Totals         []YearTotal `json:"totals,omitempty"`
}

// Member is a member village of a BUMDes Bersama: its code and name.
type Member struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// namedMembers pairs the member codes with their names (empty when
// unknown).
func namedMembers(codes []string, names map[string]string) []Member {
	if len(codes) == 0 {
		return nil
	}
	out := make([]Member, len(codes))
	for i, c := range codes {
		out[i] = Member{Code: c, Name: names[c]}
	}
	return out
}

// YearTotal sums an enterprise's unit reports of a year (whole rupiah).
type YearTotal struct {
	Year    int   `json:"year"`
	Reports int64 `json:"reports"`
	Revenue int64 `json:"revenue"`
	Costs   int64 `json:"costs"`
	Profit  int64 `json:"profit"`
	PADes   int64 `json:"pades"`
}

func viewOf(rec *sdk.Record) (EnterpriseView, error) {
	var e enterprise
	if err := rec.Decode(&e); err != nil {
		return EnterpriseView{}, err
	}
	return EnterpriseView{ID: rec.ID, Tenant: rec.Tenant, Version: rec.Version, EnterpriseInput: e.EnterpriseInput,
		CreatedAt: rec.CreatedAt, UpdatedAt: rec.UpdatedAt}, nil
}

// checkClassification checks a classification with the year assessed.
func checkClassification(req *sdk.Request, c string, year int) error {
	if c == "" && year == 0 {
		return nil
	}
	if _, ok := findLabel(classifications, c); !ok || year == 0 {
		return invalid(codeInvalidClassification, "classification",
			"classification must be one of %s, with classification_year", codes(classifications))
	}
	return checkYear(req, "classification_year", year)
}

// clean checks and normalises the input for the request's tenant.
func (in *EnterpriseInput) clean(req *sdk.Request) error {
	in.Kind = strings.ToLower(strings.TrimSpace(in.Kind))
	switch req.Level {
	case sdk.Village:
		if in.Kind == "" {
			in.Kind = KindDesa
		}
	case sdk.District:
		if in.Kind == "" {
			in.Kind = KindBersama
		}
	default:
		return invalid(codeWrongLevel, "", "an enterprise is registered at its village (BUM Desa) or at the district of its member villages (BUMDes Bersama), not at a %s", req.Level)
	}
	if in.Kind != KindDesa && in.Kind != KindBersama {
		return invalid(codeInvalidKind, "kind", "kind must be desa or bersama")
	}
	if (in.Kind == KindDesa) != (req.Level == sdk.Village) {
		return invalid(codeKindLevel, "kind", "a BUM Desa (desa) is registered at its village, a BUMDes Bersama (bersama) at the district of its member villages")
	}
	var err error
	if in.Name, err = cleanName("name", in.Name, 120, true); err != nil {
		return err
	}
	if in.RegistrationNumber, err = cleanRegistration(in.RegistrationNumber); err != nil {
		return err
	}
	if in.PerdesNumber, err = cleanName("perdes_number", in.PerdesNumber, 100, false); err != nil {
		return invalid(codeInvalidPerdes, "perdes_number", "perdes_number is too long or unprintable")
	}
	if in.PerdesDate, err = cleanDate(req, "perdes_date", in.PerdesDate, false); err != nil {
		return err
	}
	if in.Address, err = cleanText("address", in.Address, 300); err != nil {
		return err
	}
	in.Classification = strings.ToLower(strings.TrimSpace(in.Classification))
	if err := checkClassification(req, in.Classification, in.ClassificationYear); err != nil {
		return err
	}
	if in.Kind == KindDesa {
		if len(in.Members) > 0 {
			return invalid(codeInvalidMembers, "members", "a village's own BUM Desa has no members: register a BUMDes Bersama at the district")
		}
		return nil
	}
	seen := map[string]bool{}
	for i, m := range in.Members {
		m = strings.TrimSpace(m)
		if seen[m] || m == "" {
			return invalid(codeInvalidMembers, "members", "members must list distinct village codes")
		}
		seen[m] = true
		in.Members[i] = m
	}
	if len(in.Members) < 2 {
		return invalid(codeInvalidMembers, "members", "a BUMDes Bersama is founded by two or more villages: list their codes in members")
	}
	sort.Strings(in.Members)
	return nil
}

// checkMembers checks that every member is a village of the request's
// district where the module is on, and names them.
func checkMembers(ctx context.Context, req *sdk.Request, members []string) ([]Member, error) {
	below, err := req.TenantsBelow(ctx, sdk.Village)
	if err != nil {
		return nil, err
	}
	byCode := map[string]sdk.Tenant{}
	for _, t := range below {
		byCode[t.Code] = t
	}
	for _, m := range members {
		t, ok := byCode[m]
		if !ok || t.Parent != req.Tenant {
			return nil, invalid(codeMemberNotInDistrict, "members", "%s is not a village of the district %s", m, req.Tenant)
		}
		if !slices.Contains(t.Modules, pluginID) {
			return nil, invalid(codeMemberModuleOff, "members", "the bumdes module is not enabled at the member village %s (%s)", m, t.Name)
		}
	}
	names := make(map[string]string, len(byCode))
	for c, t := range byCode {
		names[c] = t.Name
	}
	return namedMembers(members, names), nil
}

// membership is a member village's copy of a BUMDes Bersama.
type membership struct {
	EnterpriseID       string   `json:"enterprise_id"`
	District           string   `json:"district"`
	Seq                int64    `json:"seq"`
	Name               string   `json:"name"`
	RegistrationNumber string   `json:"registration_number,omitempty"`
	Classification     string   `json:"classification,omitempty"`
	ClassificationYear int      `json:"classification_year,omitempty"`
	Members            []string `json:"members,omitempty"`
	// MemberVillages names the members: a member village cannot read its
	// sibling villages' names, so the district's copy carries them.
	MemberVillages []Member `json:"member_villages,omitempty"`
}

func snapshot(id, district string, seq int64, e *enterprise, members []Member) membership {
	return membership{EnterpriseID: id, District: district, Seq: seq, Name: e.Name, RegistrationNumber: e.RegistrationNumber,
		Classification: e.Classification, ClassificationYear: e.ClassificationYear, Members: e.Members, MemberVillages: members}
}

// createEnterprise answers POST /enterprises.
func createEnterprise(r *http.Request) (int, any, error) {
	var in EnterpriseInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	return registerEnterprise(r, in)
}

// registerEnterprise registers in at the request's tenant: the API and
// the console's form.
func registerEnterprise(r *http.Request, in EnterpriseInput) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	if err := in.clean(req); err != nil {
		return 0, nil, err
	}
	e := enterprise{EnterpriseInput: in, RegisteredBy: req.User}
	var members []Member
	var err error
	if e.Kind == KindDesa {
		e.One = KindDesa
		if recs, _, err := req.Records("enterprises").Query().Where("one", sdk.Eq, KindDesa).Page(0, 1).Run(ctx); err != nil {
			return 0, nil, err
		} else if len(recs) > 0 {
			return 0, nil, enterpriseExists(recs[0].ID)
		}
	} else if members, err = checkMembers(ctx, req, e.Members); err != nil {
		return 0, nil, err
	}
	event := map[string]any{"tenant": req.Tenant, "kind": e.Kind, "name": e.Name, "registration_number": e.RegistrationNumber, "members": e.Members}
	b := req.Batch()
	w := b.Insert("enterprises", e)
	if e.Kind == KindDesa {
		b.Publish(evRegistered, event)
		b.Audit("enterprise.register", req.Tenant, map[string]string{"kind": e.Kind, "name": e.Name})
	}
	if err := b.Commit(ctx); err != nil {
		if errors.Is(err, sdk.ErrDuplicate) {
			return 0, nil, enterpriseExists("")
		}
		return 0, nil, err
	}
	rec := w.Record
	if e.Kind == KindBersama {
		// The member villages' copies need the id the host gave: a second
		// batch, with the event and the audit entry, and the enterprise is
		// taken back if a member refuses its copy, so that nothing is left
		// half-registered or announced.
		event["enterprise"] = rec.ID
		mb := req.Batch()
		for _, m := range e.Members {
			mb.InsertInto(m, "memberships", snapshot(rec.ID, req.Tenant, rec.Version, &e, members))
		}
		mb.Publish(evRegistered, event)
		mb.Audit("enterprise.register", rec.ID, map[string]string{"kind": e.Kind, "name": e.Name})
		if err := mb.Commit(ctx); err != nil {
			if derr := req.Records("enterprises").Delete(ctx, rec.ID, 0); derr != nil {
				sdk.Logf(ctx, "error", "bumdes: taking back enterprise %s after its members refused: %v", rec.ID, derr)
			}
			return 0, nil, err
		}
	}
	v, err := viewOf(&rec)
	v.MemberVillages = members
	return http.StatusCreated, v, err
}

func enterpriseExists(id string) error {
	msg := "this village already has its BUM Desa (one per village, PP 11/2021)"
	if id != "" {
		msg += ": " + id
	}
	return sdk.Errorf(http.StatusConflict, codeEnterpriseExists, "%s", msg)
}

func enterpriseNotFound() error {
	return sdk.Errorf(http.StatusNotFound, codeEnterpriseNotFound, "no enterprise with this id here")
}

// loadEnterprise reads the enterprise of the path's {id} in the request's
// tenant.
func loadEnterprise(r *http.Request) (*sdk.Record, *enterprise, error) {
	return load[enterprise](r, "enterprises", r.PathValue("id"), enterpriseNotFound)
}

// load reads the record id of coll in the request's tenant and decodes
// it; a missing one is notFound().
func load[T any](r *http.Request, coll, id string, notFound func() error) (*sdk.Record, *T, error) {
	rec, err := sdk.From(r).Records(coll).Get(r.Context(), id)
	if errors.Is(err, sdk.ErrNotFound) {
		return nil, nil, notFound()
	}
	if err != nil {
		return nil, nil, err
	}
	var v T
	if err := rec.Decode(&v); err != nil {
		return nil, nil, err
	}
	return rec, &v, nil
}

// listEnterprises answers GET /enterprises (public): at a village its BUM
// Desa and the BUMDes Bersama it is a member of; at a district or regency
// those of the tenants below where the module is on. ?kind= and
// ?classification= filter.
func listEnterprises(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	off, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	q := req.Records("enterprises").Query().OrderBy("name", false).Page(off, limit).WithTotal()
	params := r.URL.Query()
	kind, class := params.Get("kind"), params.Get("classification")
	if kind != "" {
		if kind != KindDesa && kind != KindBersama {
			return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidKind, "kind must be desa or bersama")
		}
		q.Where("kind", sdk.Eq, kind)
	}
	if class != "" {
		if _, ok := findLabel(classifications, class); !ok {
			return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidClassification, "classification must be one of %s", codes(classifications))
		}
		q.Where("classification", sdk.Eq, class)
	}
	if req.Level != sdk.Village {
		q.Subtree()
	}
	recs, total, err := q.Run(ctx)
	if err != nil {
		return 0, nil, err
	}
	names, err := tenantNames(ctx, req)
	if err != nil {
		return 0, nil, err
	}
	items := make([]EnterpriseView, 0, len(recs))
	for i := range recs {
		v, err := viewOf(&recs[i])
		if err != nil {
			return 0, nil, err
		}
		v.TenantName = names[v.Tenant]
		v.MemberVillages = namedMembers(v.Members, names)
		items = append(items, v)
	}
	if req.Level == sdk.Village && kind != KindDesa && off == 0 {
		joint, err := memberships(ctx, req)
		if err != nil {
			return 0, nil, err
		}
		for _, m := range joint {
			if class == "" || m.Classification == class {
				items = append(items, m)
				total++
			}
		}
	}
	return http.StatusOK, sdk.ListOf[EnterpriseView]{Items: items, Total: total}, nil
}

// memberships are the BUMDes Bersama the request's village is a member
// of, each once and from its newest copy, sorted by name. The copies are
// append-only (one per edit), so a busy enterprise may have thousands: one
// grouped count names the enterprises (a row each, however many edits) and
// an indexed read of one row per enterprise takes its newest copy, so
// that no enterprise's edits crowd another out.
func memberships(ctx context.Context, req *sdk.Request) ([]EnterpriseView, error) {
	groups, err := req.Records("memberships").Aggregate(ctx, sdk.Aggregation{GroupBy: []string{"enterprise_id"}})
	if err != nil {
		return nil, err
	}
	out := make([]EnterpriseView, 0, len(groups))
	for _, g := range groups {
		id, _ := g.Key[0].(string)
		v, ok, err := membershipOf(ctx, req, id)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, v)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// membershipOf is the newest copy of the BUMDes Bersama id at the
// request's village (the highest seq, through the enterprise_id+seq
// index); ok is false when the village is not one of its members.
func membershipOf(ctx context.Context, req *sdk.Request, id string) (v EnterpriseView, ok bool, err error) {
	recs, _, err := req.Records("memberships").Query().Where("enterprise_id", sdk.Eq, id).OrderBy("seq", true).Page(0, 1).Run(ctx)
	if err != nil || len(recs) == 0 {
		return v, false, err
	}
	rec := &recs[0]
	var m membership
	if err := rec.Decode(&m); err != nil {
		return v, false, err
	}
	if len(m.MemberVillages) != len(m.Members) {
		m.MemberVillages = namedMembers(m.Members, nil)
	}
	return EnterpriseView{ID: m.EnterpriseID, Tenant: m.District, Version: m.Seq, Joint: true, CreatedAt: rec.CreatedAt, UpdatedAt: rec.UpdatedAt,
		MemberVillages: m.MemberVillages, EnterpriseInput: EnterpriseInput{Kind: KindBersama, Name: m.Name, RegistrationNumber: m.RegistrationNumber,
			Classification: m.Classification, ClassificationYear: m.ClassificationYear, Members: m.Members}}, true, nil
}

// tenantNames maps the codes of the request's tenant and those below to
// their names.
func tenantNames(ctx context.Context, req *sdk.Request) (map[string]string, error) {
	self, _, err := req.TenantInfo(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{self.Code: self.Name}
	if req.Level == sdk.Village {
		return names, nil
	}
	below, err := req.TenantsBelow(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, t := range below {
		names[t.Code] = t.Name
	}
	return names, nil
}

// getEnterprise answers GET /enterprises/{id} (public): the enterprise
// with its units, current management (NIK and phone only for callers who
// may see them) and yearly totals. At a member village a BUMDes Bersama
// answers its copy (joint), whose full page is at the district.
func getEnterprise(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	rec, _, err := loadEnterprise(r)
	if errCode(err) == codeEnterpriseNotFound && req.Level == sdk.Village {
		m, ok, jerr := membershipOf(ctx, req, r.PathValue("id"))
		if jerr != nil {
			return 0, nil, jerr
		}
		if ok {
			return http.StatusOK, m, nil
		}
	}
	if err != nil {
		return 0, nil, err
	}
	v, err := viewOf(rec)
	if err != nil {
		return 0, nil, err
	}
	if len(v.Members) > 0 {
		names, err := tenantNames(ctx, req)
		if err != nil {
			return 0, nil, err
		}
		v.MemberVillages = namedMembers(v.Members, names)
	}
	if v.Units, err = unitsOf(ctx, req, rec.ID); err != nil {
		return 0, nil, err
	}
	if v.Management, err = managementOf(ctx, req, rec.ID, false); err != nil {
		return 0, nil, err
	}
	groups, err := req.Records("reports").Aggregate(ctx, sdk.Aggregation{GroupBy: []string{"year"}, Sum: []string{"revenue", "costs", "profit", "pades"},
		Where: []sdk.Filter{{Field: "enterprise_id", Op: sdk.Eq, Value: rec.ID}}})
	if err != nil {
		return 0, nil, err
	}
	for _, g := range groups {
		y, _ := g.Key[0].(float64)
		v.Totals = append(v.Totals, YearTotal{Year: int(y), Reports: g.Count, Revenue: int64(g.Sums[0]), Costs: int64(g.Sums[1]), Profit: int64(g.Sums[2]), PADes: int64(g.Sums[3])})
	}
	sort.Slice(v.Totals, func(i, j int) bool { return v.Totals[i].Year > v.Totals[j].Year })
	return http.StatusOK, v, nil
}

// patchEnterprise answers PATCH /enterprises/{id}. A BUMDes Bersama's
// member villages get a new copy in the same batch.
func patchEnterprise(r *http.Request) (int, any, error) {
	var p EnterprisePatch
	if err := sdk.Bind(r, &p); err != nil {
		return 0, nil, err
	}
	return updateEnterprise(r, p)
}

func updateEnterprise(r *http.Request, p EnterprisePatch) (int, any, error) {
	req := sdk.From(r)
	rec, e, err := loadEnterprise(r)
	if err != nil {
		return 0, nil, err
	}
	patch := map[string]any{}
	var changed []string
	set := func(field string, v any) { patch[field] = v; changed = append(changed, field) }
	if p.Name != nil {
		if e.Name, err = cleanName("name", *p.Name, 120, true); err != nil {
			return 0, nil, err
		}
		set("name", e.Name)
	}
	if p.RegistrationNumber != nil {
		if e.RegistrationNumber, err = cleanRegistration(*p.RegistrationNumber); err != nil {
			return 0, nil, err
		}
		set("registration_number", e.RegistrationNumber)
	}
	if p.PerdesNumber != nil {
		if e.PerdesNumber, err = cleanName("perdes_number", *p.PerdesNumber, 100, false); err != nil {
			return 0, nil, invalid(codeInvalidPerdes, "perdes_number", "perdes_number is too long or unprintable")
		}
		set("perdes_number", e.PerdesNumber)
	}
	if p.PerdesDate != nil {
		if e.PerdesDate, err = cleanDate(req, "perdes_date", *p.PerdesDate, false); err != nil {
			return 0, nil, err
		}
		set("perdes_date", nilIfEmpty(e.PerdesDate))
	}
	if p.Address != nil {
		if e.Address, err = cleanText("address", *p.Address, 300); err != nil {
			return 0, nil, err
		}
		set("address", e.Address)
	}
	if p.Classification != nil || p.ClassificationYear != nil {
		if p.Classification != nil {
			c := strings.ToLower(strings.TrimSpace(*p.Classification))
			// A new rank comes from a new assessment, whose year the
			// caller must say: the Kemendesa ranking held in February
			// ranks the year before (Kepmendesa PDTT 145/2022), so
			// neither the old year nor the current one would be right.
			// Cleared, it takes its year with it.
			switch {
			case c == "" && p.ClassificationYear == nil:
				e.ClassificationYear = 0
			case c != e.Classification && p.ClassificationYear == nil:
				return 0, nil, invalid(codeInvalidClassification, "classification_year",
					"a new classification needs classification_year, the year the assessment ranks (the ranking held in February ranks the year before)")
			}
			e.Classification = c
		}
		if p.ClassificationYear != nil {
			e.ClassificationYear = *p.ClassificationYear
		}
		if err := checkClassification(req, e.Classification, e.ClassificationYear); err != nil {
			return 0, nil, err
		}
		set("classification", e.Classification)
		set("classification_year", e.ClassificationYear)
	}
	if len(changed) == 0 {
		return 0, nil, invalid(codeEmptyPatch, "", "the patch changes nothing")
	}
	var members []Member
	if e.Kind == KindBersama {
		names, err := tenantNames(r.Context(), req)
		if err != nil {
			return 0, nil, err
		}
		members = namedMembers(e.Members, names)
	}
	b := req.Batch()
	w := b.Update("enterprises", rec.ID, rec.Version, patch)
	for _, m := range e.Members {
		b.InsertInto(m, "memberships", snapshot(rec.ID, req.Tenant, rec.Version+1, e, members))
	}
	b.Publish(evUpdated, map[string]any{"enterprise": rec.ID, "tenant": req.Tenant, "fields": changed})
	if err := b.Commit(r.Context()); err != nil {
		return 0, nil, err
	}
	v, err := viewOf(&w.Record)
	v.MemberVillages = members
	return http.StatusOK, v, err
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
