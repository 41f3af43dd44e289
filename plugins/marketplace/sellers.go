package main

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// Seller kinds: a citizen's small business, or a unit of the village-owned
// enterprise.
const (
	KindUMKM   = "umkm"
	KindBUMDes = "bumdes"
)

// Seller is a village business that sells in the mall.
type Seller struct {
	Name         string `json:"name"`
	Kind         string `json:"kind"`
	Description  string `json:"description,omitempty"`
	Address      string `json:"address,omitempty"`
	ContactPhone string `json:"contact_phone,omitempty"`
	OwnerName    string `json:"owner_name,omitempty"`
}

func (s *Seller) validate() error {
	var err error
	if s.Name, err = cleanName("name", codeInvalidName, s.Name, 120, true); err != nil {
		return err
	}
	s.Kind = strings.ToLower(strings.TrimSpace(s.Kind))
	if s.Kind != KindUMKM && s.Kind != KindBUMDes {
		return sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidKind, "kind must be umkm or bumdes")
	}
	if s.Description, err = cleanText("description", codeInvalidDescription, s.Description, 2000, false); err != nil {
		return err
	}
	if s.Address, err = cleanText("address", codeInvalidAddress, s.Address, 300, false); err != nil {
		return err
	}
	if s.OwnerName, err = cleanName("owner_name", codeInvalidOwnerName, s.OwnerName, 120, false); err != nil {
		return err
	}
	if s.ContactPhone = strings.TrimSpace(s.ContactPhone); s.ContactPhone != "" {
		p, ok := NormalizePhone(s.ContactPhone)
		if !ok {
			return sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidContactPhone, "contact_phone must be an Indonesian mobile number such as 0812-3456-7890 or +62 812 3456 7890")
		}
		s.ContactPhone = p
	}
	return nil
}

// sellerView is a seller as a caller sees it: the owner's name only for
// those who hold permSellersPersonal.
type sellerView struct {
	ID      string  `json:"id"`
	Village Village `json:"village"`
	Seller
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func newSellerView(rec *sdk.Record, p *places, full bool) (sellerView, error) {
	v := sellerView{ID: rec.ID, Village: p.village(rec.Tenant), CreatedAt: rec.CreatedAt, UpdatedAt: rec.UpdatedAt}
	if err := rec.Decode(&v.Seller); err != nil {
		return v, err
	}
	if !full {
		v.OwnerName = ""
	}
	return v, nil
}

// createSeller is POST /sellers.
var createSeller = villageWrite("sellers", addSeller)

// sellerAnswer answers the seller rec as the caller may see it (the
// owner's name only with permSellersPersonal), with status.
func sellerAnswer(r *http.Request, status int, rec *sdk.Record) (int, any, error) {
	p, err := loadPlaces(r)
	if err != nil {
		return 0, nil, err
	}
	v, err := newSellerView(rec, p, sdk.From(r).Can(permSellersPersonal))
	return status, v, err
}

// addSeller registers s at the request's village: POST /sellers and the
// console's seller form.
func addSeller(r *http.Request, s Seller) (int, any, error) {
	req := sdk.From(r)
	if err := notAVillage(req, "sellers"); err != nil {
		return 0, nil, err
	}
	if err := s.validate(); err != nil {
		return 0, nil, err
	}
	// The owner's name is personal data: its processing is recorded
	// (UU PDP 27/2022), with no value, in the insert's own batch.
	b := req.Batch()
	created := b.Insert("sellers", s)
	if err := b.Audit("sellers.created", req.Tenant, nil).Commit(r.Context()); err != nil {
		return 0, nil, err
	}
	return sellerAnswer(r, http.StatusCreated, &created.Record)
}

func listSellers(r *http.Request) (int, any, error) {
	offset, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	p, err := loadPlaces(r)
	if err != nil {
		return 0, nil, err
	}
	q := req.Records("sellers").Query().Page(offset, limit).WithTotal().OrderBy("name", false)
	if ok, err := p.scope(r, q); err != nil || !ok {
		return http.StatusOK, sdk.ListOf[sellerView]{Items: []sellerView{}}, err
	}
	params := r.URL.Query()
	if k := params.Get("kind"); k != "" {
		if k != KindUMKM && k != KindBUMDes {
			return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidKind, "kind must be umkm or bumdes")
		}
		q.Where("kind", sdk.Eq, k)
	}
	if s := strings.TrimSpace(params.Get("q")); s != "" {
		q.Where("name", sdk.Like, s)
	}
	recs, total, err := q.Run(r.Context())
	if err != nil {
		return 0, nil, err
	}
	full := req.Can(permSellersPersonal)
	items := make([]sellerView, 0, len(recs))
	for i := range recs {
		v, err := newSellerView(&recs[i], p, full)
		if err != nil {
			return 0, nil, err
		}
		items = append(items, v)
	}
	return http.StatusOK, sdk.ListOf[sellerView]{Items: items, Total: total}, nil
}

// findRecord reads one record by id: in the village of the request, or in
// the villages of a district's mall.
func findRecord(ctx context.Context, req *sdk.Request, coll, id string, p *places) (*sdk.Record, error) {
	if req.Level == sdk.Village {
		rec, err := req.Records(coll).Get(ctx, id)
		if errors.Is(err, sdk.ErrNotFound) {
			return nil, nil
		}
		return rec, err
	}
	recs, _, err := req.Records(coll).Query().Subtree().Where(sdk.FieldID, sdk.Eq, id).Page(0, 1).Run(ctx)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	if _, ok := p.names[recs[0].Tenant]; !ok {
		return nil, nil
	}
	return &recs[0], nil
}

func getSeller(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	p, err := loadPlaces(r)
	if err != nil {
		return 0, nil, err
	}
	rec, err := findRecord(r.Context(), req, "sellers", r.PathValue("id"), p)
	if err != nil {
		return 0, nil, err
	}
	if rec == nil {
		return 0, nil, sdk.Errorf(http.StatusNotFound, codeSellerNotFound, "no seller %s in %s", r.PathValue("id"), req.Tenant)
	}
	v, err := newSellerView(rec, p, req.Can(permSellersPersonal))
	return http.StatusOK, v, err
}

// sellerPatch holds the fields a PATCH may change; absent ones stay.
type sellerPatch struct {
	Name         *string `json:"name"`
	Kind         *string `json:"kind"`
	Description  *string `json:"description"`
	Address      *string `json:"address"`
	ContactPhone *string `json:"contact_phone"`
	OwnerName    *string `json:"owner_name"`
}

// patchSeller is PATCH /sellers/{id}.
var patchSeller = villageWrite("sellers", editSeller)

// editSeller applies patch to the seller {id}: PATCH /sellers/{id} and the
// console's seller form.
func editSeller(r *http.Request, patch sellerPatch) (int, any, error) {
	req := sdk.From(r)
	if err := notAVillage(req, "sellers"); err != nil {
		return 0, nil, err
	}
	rec, err := req.Records("sellers").Get(r.Context(), r.PathValue("id"))
	if errors.Is(err, sdk.ErrNotFound) {
		return 0, nil, sdk.Errorf(http.StatusNotFound, codeSellerNotFound, "no seller %s in %s", r.PathValue("id"), req.Tenant)
	}
	if err != nil {
		return 0, nil, err
	}
	var s Seller
	if err := rec.Decode(&s); err != nil {
		return 0, nil, err
	}
	var changed []string
	fields := []struct {
		name string
		src  *string
		dst  *string
	}{{"name", patch.Name, &s.Name}, {"kind", patch.Kind, &s.Kind}, {"description", patch.Description, &s.Description}, {"address", patch.Address, &s.Address},
		{"contact_phone", patch.ContactPhone, &s.ContactPhone}, {"owner_name", patch.OwnerName, &s.OwnerName}}
	for _, f := range fields {
		if f.src != nil {
			*f.dst = *f.src
			changed = append(changed, f.name)
		}
	}
	if len(changed) == 0 {
		return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeEmptyPatch, "name at least one field to change")
	}
	if err := s.validate(); err != nil {
		return 0, nil, err
	}
	// Only the fields named are written, as validate normalized them
	// (cleared ones as empty strings): a field not named may have been
	// read masked (the owner's name, for a caller without
	// permSellersPersonal), and must not be written back so. The version
	// read guards against overwriting another edit.
	set := map[string]any{}
	for _, f := range fields {
		if f.src != nil {
			set[f.name] = *f.dst
		}
	}
	b := req.Batch()
	updated := b.Update("sellers", rec.ID, rec.Version, set)
	err = b.Audit("sellers.updated", rec.ID, map[string]any{"fields": changed}).Commit(r.Context())
	if errors.Is(err, sdk.ErrConflict) {
		return 0, nil, sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "the seller changed while you edited it: read it again")
	}
	if err != nil {
		return 0, nil, err
	}
	return sellerAnswer(r, http.StatusOK, &updated.Record)
}

// sellerRef is the seller as a product or order line names it.
type sellerRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// sellersByID reads the sellers of a page of products in one query.
func sellersByID(ctx context.Context, req *sdk.Request, ids []string) (map[string]sellerRef, error) {
	out := map[string]sellerRef{}
	if len(ids) == 0 {
		return out, nil
	}
	q := req.Records("sellers").Query().Where(sdk.FieldID, sdk.In, ids).Page(0, len(ids))
	if req.Level != sdk.Village {
		q.Subtree()
	}
	recs, _, err := q.Run(ctx)
	if err != nil {
		return nil, err
	}
	for i := range recs {
		var s Seller
		if err := recs[i].Decode(&s); err != nil {
			return nil, err
		}
		out[recs[i].ID] = sellerRef{ID: recs[i].ID, Name: s.Name, Kind: s.Kind}
	}
	return out, nil
}
