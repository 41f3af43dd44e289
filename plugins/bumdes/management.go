package main

import (
	"context"
	"net/http"
	"strings"

	"github.com/balaidesa/balai/sdk"
)

// ManagerInput is the body of POST /enterprises/{id}/management: an
// appointment to a role, which ends the term of whoever held it (their
// end_date becomes start_date). NIK and phone are personal data.
type ManagerInput struct {
	Role      string `json:"role"`
	Name      string `json:"name"`
	NIK       string `json:"nik,omitempty"`
	Phone     string `json:"phone,omitempty"`
	StartDate string `json:"start_date"`
	Decree    string `json:"decree,omitempty"`
}

// appointment is a term in a role. NIK and Phone are personal data.
type appointment struct {
	Role      string `json:"role"`
	Name      string `json:"name"`
	NIK       string `json:"nik,omitempty"`
	Phone     string `json:"phone,omitempty"`
	StartDate string `json:"start_date"`
	EndDate   string `json:"end_date,omitempty"`
	Decree    string `json:"decree,omitempty"`
}

// manager is a managers record's fields.
type manager struct {
	EnterpriseID string `json:"enterprise_id"`
	appointment
	AppointedBy string `json:"appointed_by,omitempty"`
}

// Manager is an appointment as the API answers it; Current when its term
// has not ended. NIK and Phone are masked by the host for callers without
// bumdes.enterprises.read_personal, and left out on public answers.
type Manager struct {
	ID string `json:"id"`
	appointment
	Current bool `json:"current"`
}

// managementOf lists the enterprise's appointments, the current ones only
// unless all, in the order of roles.
func managementOf(ctx context.Context, req *sdk.Request, id string, all bool) ([]Manager, error) {
	q := req.Records("managers").Query().Where("enterprise_id", sdk.Eq, id).OrderBy("start_date", true).Page(0, 500)
	if !all {
		q.Where("end_date", sdk.IsNull, nil)
	}
	recs, _, err := q.Run(ctx)
	if err != nil {
		return nil, err
	}
	out := []Manager{}
	for _, rl := range roles {
		for _, rec := range recs {
			var m manager
			if err := rec.Decode(&m); err != nil {
				return nil, err
			}
			if m.Role != rl.Code {
				continue
			}
			v := Manager{ID: rec.ID, appointment: m.appointment, Current: m.EndDate == ""}
			if !req.Can(permRead) {
				v.NIK, v.Phone = "", ""
			}
			out = append(out, v)
		}
	}
	return out, nil
}

// listManagement answers GET /enterprises/{id}/management (?all=true for
// past terms too).
func listManagement(r *http.Request) (int, any, error) {
	rec, _, err := loadEnterprise(r)
	if err != nil {
		return 0, nil, err
	}
	ms, err := managementOf(r.Context(), sdk.From(r), rec.ID, r.URL.Query().Get("all") == "true")
	return http.StatusOK, sdk.ListOf[Manager]{Items: ms, Total: int64(len(ms))}, err
}

// appointManager answers POST /enterprises/{id}/management.
func appointManager(r *http.Request) (int, any, error) {
	var in ManagerInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	return appoint(r, in)
}

func appoint(r *http.Request, in ManagerInput) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	rec, _, err := loadEnterprise(r)
	if err != nil {
		return 0, nil, err
	}
	in.Role = strings.TrimSpace(in.Role)
	if _, ok := findLabel(roles, in.Role); !ok {
		return 0, nil, invalid(codeInvalidRole, "role", "role must be one of %s", codes(roles))
	}
	m := manager{EnterpriseID: rec.ID, appointment: appointment{Role: in.Role}, AppointedBy: req.User}
	if m.Name, err = cleanName("name", in.Name, 120, true); err != nil {
		return 0, nil, err
	}
	if m.NIK, err = cleanNIK("nik", in.NIK); err != nil {
		return 0, nil, err
	}
	if m.Phone, err = cleanPhone("phone", in.Phone); err != nil {
		return 0, nil, err
	}
	if m.StartDate, err = cleanDate(req, "start_date", in.StartDate, true); err != nil {
		return 0, nil, err
	}
	if m.Decree, err = cleanText("decree", in.Decree, 120); err != nil {
		return 0, nil, err
	}
	current, _, err := req.Records("managers").Query().Where("enterprise_id", sdk.Eq, rec.ID).Where("role", sdk.Eq, in.Role).
		Where("end_date", sdk.IsNull, nil).Page(0, 10).Run(ctx)
	if err != nil {
		return 0, nil, err
	}
	b := req.Batch()
	for _, c := range current {
		var old manager
		if err := c.Decode(&old); err != nil {
			return 0, nil, err
		}
		if old.StartDate > m.StartDate {
			return 0, nil, invalid(codeInvalidDate, "start_date", "start_date %s is before the current %s's term began (%s)", m.StartDate, in.Role, old.StartDate)
		}
		b.Update("managers", c.ID, c.Version, map[string]string{"end_date": m.StartDate})
	}
	w := b.Insert("managers", m)
	b.Publish(evManagement, map[string]string{"enterprise": rec.ID, "tenant": req.Tenant, "role": in.Role})
	b.Audit("management.appoint", rec.ID, map[string]string{"role": in.Role})
	if err := b.Commit(ctx); err != nil {
		return 0, nil, err
	}
	out := Manager{ID: w.Record.ID, appointment: m.appointment, Current: true}
	if !req.Can(permPersonal) {
		// The caller typed them, but the answer shows what a read would.
		out.NIK, out.Phone = mask(m.NIK), mask(m.Phone)
	}
	return http.StatusCreated, out, nil
}

// mask hides all but the first four and last four characters, as the host
// masks a personal text.
func mask(s string) string {
	if len(s) <= 8 {
		return strings.Repeat("*", len(s))
	}
	return s[:4] + strings.Repeat("*", len(s)-8) + s[len(s)-4:]
}
