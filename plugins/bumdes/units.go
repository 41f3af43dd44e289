package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/balaidesa/balai/sdk"
)

// UnitInput is the body of POST /enterprises/{id}/units. Type is one of
// unitTypes; the manager's phone is personal data.
type UnitInput struct {
	Type         string `json:"type"`
	Name         string `json:"name"`
	Description  string `json:"description,omitempty"`
	ManagerName  string `json:"manager_name"`
	ManagerPhone string `json:"manager_phone,omitempty"`
	Started      string `json:"started,omitempty"`
}

// UnitPatch is the body of PATCH /enterprises/{id}/units/{unit}.
type UnitPatch struct {
	Name         *string `json:"name"`
	Description  *string `json:"description"`
	ManagerName  *string `json:"manager_name"`
	ManagerPhone *string `json:"manager_phone"`
	Active       *bool   `json:"active"`
}

// unit is a units record's fields.
type unit struct {
	EnterpriseID string `json:"enterprise_id"`
	Type         string `json:"type"`
	Name         string `json:"name"`
	Description  string `json:"description,omitempty"`
	ManagerName  string `json:"manager_name"`
	ManagerPhone string `json:"manager_phone,omitempty"`
	Started      string `json:"started,omitempty"`
	Active       bool   `json:"active"`
	SellerID     string `json:"seller_id,omitempty"`
	// NameKey is the name as a clerk reads it (nameKey), unique per
	// enterprise; units stored before it was kept have none, and
	// sameNameUnit compares their names instead. Never answered.
	NameKey string `json:"name_key,omitempty"`
}

// nameKey is a unit name as a clerk reads it: "Waserda  Kumantan" and
// "waserda kumantan" name one unit, so the key lowers case and collapses
// runs of spaces.
func nameKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// sameNameUnit is the id of another unit of the enterprise whose name
// reads as key, or "". The unique index on name_key catches a race
// between two new names; this read also covers units stored before the
// key was kept.
func sameNameUnit(ctx context.Context, req *sdk.Request, enterpriseID, key, except string) (string, error) {
	for off := 0; ; off += 500 {
		recs, _, err := req.Records("units").Query().Where("enterprise_id", sdk.Eq, enterpriseID).OrderBy(sdk.FieldID, false).Page(off, 500).Run(ctx)
		if err != nil {
			return "", err
		}
		for i := range recs {
			var u unit
			if err := recs[i].Decode(&u); err != nil {
				return "", err
			}
			if recs[i].ID != except && nameKey(u.Name) == key {
				return recs[i].ID, nil
			}
		}
		if len(recs) < 500 {
			return "", nil
		}
	}
}

func unitExists(name string) error {
	return sdk.Errorf(http.StatusConflict, codeUnitExists, "the enterprise already has a unit named %q (names are compared without case and extra spaces)", name)
}

// UnitView is a unit as the API answers it; MallPage is the unit's page in
// the village mall once it sells there. ManagerPhone is left out on public
// answers and masked without read_personal.
type UnitView struct {
	ID string `json:"id"`
	unit
	MallPage string `json:"mall_page,omitempty"`
}

func unitView(req *sdk.Request, rec *sdk.Record) (UnitView, error) {
	v := UnitView{ID: rec.ID}
	if err := rec.Decode(&v.unit); err != nil {
		return v, err
	}
	v.NameKey = ""
	if !req.Can(permRead) {
		v.ManagerPhone = ""
	}
	if v.SellerID != "" {
		v.MallPage = "/" + rec.Tenant + "/marketplace/?seller=" + url.QueryEscape(v.SellerID)
	}
	return v, nil
}

func unitsOf(ctx context.Context, req *sdk.Request, id string) ([]UnitView, error) {
	recs, _, err := req.Records("units").Query().Where("enterprise_id", sdk.Eq, id).OrderBy("name", false).Page(0, 500).Run(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]UnitView, 0, len(recs))
	for i := range recs {
		v, err := unitView(req, &recs[i])
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// listUnits answers GET /enterprises/{id}/units (public).
func listUnits(r *http.Request) (int, any, error) {
	rec, _, err := loadEnterprise(r)
	if err != nil {
		return 0, nil, err
	}
	us, err := unitsOf(r.Context(), sdk.From(r), rec.ID)
	return http.StatusOK, sdk.ListOf[UnitView]{Items: us, Total: int64(len(us))}, err
}

// createUnit answers POST /enterprises/{id}/units.
func createUnit(r *http.Request) (int, any, error) {
	var in UnitInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	return addUnit(r, in)
}

func addUnit(r *http.Request, in UnitInput) (int, any, error) {
	req := sdk.From(r)
	rec, _, err := loadEnterprise(r)
	if err != nil {
		return 0, nil, err
	}
	u := unit{EnterpriseID: rec.ID, Type: strings.TrimSpace(in.Type), Active: true}
	if _, ok := findLabel(unitTypes, u.Type); !ok {
		return 0, nil, invalid(codeInvalidUnitType, "type", "type must be one of %s", codes(unitTypes))
	}
	if u.Name, err = cleanName("name", in.Name, 120, true); err != nil {
		return 0, nil, err
	}
	if u.Description, err = cleanText("description", in.Description, 1000); err != nil {
		return 0, nil, err
	}
	if u.ManagerName, err = cleanName("manager_name", in.ManagerName, 120, true); err != nil {
		return 0, nil, err
	}
	if u.ManagerPhone, err = cleanPhone("manager_phone", in.ManagerPhone); err != nil {
		return 0, nil, err
	}
	if u.Started, err = cleanDate(req, "started", in.Started, false); err != nil {
		return 0, nil, err
	}
	u.NameKey = nameKey(u.Name)
	if other, err := sameNameUnit(r.Context(), req, rec.ID, u.NameKey, ""); err != nil {
		return 0, nil, err
	} else if other != "" {
		return 0, nil, unitExists(u.Name)
	}
	b := req.Batch()
	w := b.Insert("units", u)
	b.Publish(evUnit, map[string]string{"enterprise": rec.ID, "tenant": req.Tenant, "type": u.Type, "name": u.Name})
	if err := b.Commit(r.Context()); err != nil {
		if errors.Is(err, sdk.ErrDuplicate) {
			return 0, nil, unitExists(u.Name)
		}
		return 0, nil, err
	}
	v, err := unitView(req, &w.Record)
	return http.StatusCreated, v, err
}

// loadUnit reads the path's {unit} of the enterprise id.
func loadUnit(r *http.Request, enterpriseID, unitID string) (*sdk.Record, *unit, error) {
	notFound := func() error {
		return sdk.Errorf(http.StatusNotFound, codeUnitNotFound, "no unit with this id in the enterprise")
	}
	rec, u, err := load[unit](r, "units", unitID, notFound)
	if err == nil && u.EnterpriseID != enterpriseID {
		return nil, nil, notFound()
	}
	return rec, u, err
}

// patchUnit answers PATCH /enterprises/{id}/units/{unit}: a new manager,
// a closed unit (active false).
func patchUnit(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	var p UnitPatch
	if err := sdk.Bind(r, &p); err != nil {
		return 0, nil, err
	}
	ent, _, err := loadEnterprise(r)
	if err != nil {
		return 0, nil, err
	}
	rec, _, err := loadUnit(r, ent.ID, r.PathValue("unit"))
	if err != nil {
		return 0, nil, err
	}
	patch := map[string]any{}
	if p.Name != nil {
		name, err := cleanName("name", *p.Name, 120, true)
		if err != nil {
			return 0, nil, err
		}
		key := nameKey(name)
		if other, err := sameNameUnit(r.Context(), req, ent.ID, key, rec.ID); err != nil {
			return 0, nil, err
		} else if other != "" {
			return 0, nil, unitExists(name)
		}
		patch["name"], patch["name_key"] = name, key
	}
	if p.Description != nil {
		if patch["description"], err = cleanText("description", *p.Description, 1000); err != nil {
			return 0, nil, err
		}
	}
	if p.ManagerName != nil {
		if patch["manager_name"], err = cleanName("manager_name", *p.ManagerName, 120, true); err != nil {
			return 0, nil, err
		}
	}
	if p.ManagerPhone != nil {
		if patch["manager_phone"], err = cleanPhone("manager_phone", *p.ManagerPhone); err != nil {
			return 0, nil, err
		}
	}
	if p.Active != nil {
		patch["active"] = *p.Active
	}
	if len(patch) == 0 {
		return 0, nil, invalid(codeEmptyPatch, "", "the patch changes nothing")
	}
	out, err := req.Records("units").Update(r.Context(), rec.ID, rec.Version, patch)
	if errors.Is(err, sdk.ErrDuplicate) {
		return 0, nil, unitExists(fmt.Sprint(patch["name"]))
	}
	if err != nil {
		return 0, nil, err
	}
	v, err := unitView(req, out)
	return http.StatusOK, v, err
}

// openSeller answers POST /enterprises/{id}/units/{unit}/seller: it
// registers the unit as a seller of kind bumdes in the village mall
// (marketplace POST /sellers, as the caller) and keeps the seller's id on
// the unit. Without the marketplace module: 409 marketplace_not_enabled.
func openSeller(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	ent, e, err := loadEnterprise(r)
	if err != nil {
		return 0, nil, err
	}
	rec, u, err := loadUnit(r, ent.ID, r.PathValue("unit"))
	if err != nil {
		return 0, nil, err
	}
	if e.Kind != KindDesa || req.Level != sdk.Village {
		return 0, nil, invalid(codeMallAtVillage, "", "the mall's sellers belong to a village: a BUMDes Bersama's unit registers in a member village's mall")
	}
	if u.SellerID != "" {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeSellerExists, "the unit already sells in the mall as seller %s", u.SellerID)
	}
	if !u.Active {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeUnitInactive, "the unit is closed")
	}
	name := u.Name
	if !strings.Contains(strings.ToLower(name), strings.ToLower(e.Name)) && len([]rune(name+" – "+e.Name)) <= 120 {
		name += " – " + e.Name
	}
	desc := u.Description
	if desc == "" {
		l, _ := findLabel(unitTypes, u.Type)
		desc = "Unit usaha " + l.ID + " " + e.Name
	}
	res, err := req.Call(ctx, "marketplace", "POST", "/sellers", nil, map[string]string{"name": name, "kind": "bumdes", "description": desc, "address": e.Address})
	if err != nil {
		return 0, nil, err
	}
	var seller struct {
		ID string `json:"id"`
	}
	if err := sdk.ReadAnswer(res, &seller); err != nil {
		if errCode(err) == "module_not_enabled" {
			return 0, nil, sdk.Errorf(http.StatusConflict, codeMallOff, "the village mall (marketplace module) is not enabled for %s: ask the regency to enable it, then open the seller again", req.Tenant)
		}
		return 0, nil, err
	}
	b := req.Batch()
	w := b.Update("units", rec.ID, rec.Version, map[string]string{"seller_id": seller.ID})
	b.Publish(evSeller, map[string]string{"enterprise": ent.ID, "tenant": req.Tenant, "unit": rec.ID, "seller": seller.ID})
	if err := b.Commit(ctx); err != nil {
		sdk.Logf(ctx, "error", "bumdes: seller %s opened for unit %s but not kept: %v", seller.ID, rec.ID, err)
		return 0, nil, err
	}
	v, err := unitView(req, &w.Record)
	return http.StatusOK, v, err
}
