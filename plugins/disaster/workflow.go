package main

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

func errorsIsNotFound(err error) bool { return errors.Is(err, sdk.ErrNotFound) }

// ownReport reads the report id of the request's own village (a write
// never reaches another tenant's report: 404 report_not_found).
func ownReport(r *http.Request) (*sdk.Record, *report, error) {
	req := sdk.From(r)
	id := r.PathValue("id")
	if !validID(id) {
		return nil, nil, sdk.Errorf(http.StatusNotFound, codeReportNotFound, "no report %s", id)
	}
	rec, err := req.Records("reports").Get(r.Context(), id)
	if err != nil {
		if errorsIsNotFound(err) {
			return nil, nil, sdk.Errorf(http.StatusNotFound, codeReportNotFound, "no report %s in %s", id, req.Tenant)
		}
		return nil, nil, err
	}
	rp, err := decodeReport(rec)
	return rec, rp, err
}

// NoteInput is the body of POST /reports/{id}/verify (note optional) and
// POST /reports/{id}/reject (reason required).
type NoteInput struct {
	Note   string `json:"note,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Description, on verify, replaces the reporter's text with the one
	// published (a name or a phone number written in it taken out).
	Description string `json:"description,omitempty"`
}

func checkNote(s string, field string) (string, error) {
	s = strings.TrimSpace(s)
	if err := input.Text(s, 1000); err != nil {
		return "", invalid(codeInvalidNote, field, "%s %v", field, err)
	}
	return s, nil
}

// StatusAnswer is the answer of the workflow routes: the report's id,
// its new status and version.
type StatusAnswer struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Version int64  `json:"version"`
}

// verifyReport is POST /reports/{id}/verify {"note"?,"description"?}: a
// reported disaster
// is confirmed (by a call back or a visit), published, and the district
// and regency alerted: event disaster.report_verified (which posts the
// regency's webhook), and the console notice of the village, its district
// and regency. 409 invalid_state unless reported.
func verifyReport(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	var in NoteInput
	if err := sdk.BindOptional(r, &in); err != nil {
		return 0, nil, err
	}
	note, err := checkNote(in.Note, "note")
	if err != nil {
		return 0, nil, err
	}
	desc := strings.TrimSpace(in.Description)
	if err := input.Text(desc, 2000); err != nil {
		return 0, nil, invalid(codeInvalidDescription, "description", "description %v", err)
	}
	rec, rp, err := ownReport(r)
	if err != nil {
		return 0, nil, err
	}
	if rp.Status != StatusReported {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeInvalidState, "report is %s: only a reported disaster is verified", rp.Status)
	}
	now := req.Now().UTC()
	rp.Status = StatusVerified
	patch := map[string]any{"status": StatusVerified, "active": true, "published": true, "verified_at": now, "verified_by": req.User, "status_at": now}
	if desc != "" && desc != rp.Description {
		patch["description"] = desc
		note = strings.TrimSpace(note + " (uraian disunting sebelum diterbitkan)")
	}
	text := "Laporan diverifikasi"
	if note != "" {
		text += ": " + note
	}
	return commitStatus(r, rec, rp, patch, EventVerified, "report.verify", text)
}

// commitStatus writes a status change with its log entry, event and
// audit entry in one batch.
func commitStatus(r *http.Request, rec *sdk.Record, rp *report, patch map[string]any, event, action, text string) (int, any, error) {
	req := sdk.From(r)
	b := req.Batch()
	w := b.Update("reports", rec.ID, rec.Version, patch)
	b.Insert("log", LogEntry{ReportID: rec.ID, Kind: "status", Status: rp.Status, Text: text, At: req.Now().UTC(), By: req.User})
	b.Publish(event, eventPayload(req.Tenant, rec.ID, rp))
	b.Audit(action, rec.ID, map[string]string{"status": rp.Status})
	if err := b.Commit(r.Context()); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, StatusAnswer{ID: rec.ID, Status: rp.Status, Version: w.Record.Version}, nil
}

// rejectReport is POST /reports/{id}/reject {"reason"}: a report found
// false or a duplicate is closed unpublished; the reporter sees the reason
// on the tracking page. 409 invalid_state unless reported.
func rejectReport(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	var in NoteInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	reason, err := checkNote(in.Reason, "reason")
	if err == nil && reason == "" {
		err = invalid(codeInvalidReason, "reason", "reason is required")
	}
	if err != nil {
		var se *sdk.Error
		if errors.As(err, &se) {
			se.Code = codeInvalidReason
		}
		return 0, nil, err
	}
	rec, rp, err := ownReport(r)
	if err != nil {
		return 0, nil, err
	}
	if rp.Status != StatusReported {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeInvalidState, "report is %s: only a reported disaster is rejected", rp.Status)
	}
	now := req.Now().UTC()
	rp.Status = StatusRejected
	patch := map[string]any{"status": StatusRejected, "active": false, "published": false, "rejected_at": now, "rejected_by": req.User,
		"reject_reason": reason, "status_at": now}
	return commitStatus(r, rec, rp, patch, EventRejected, "report.reject", "Laporan ditolak: "+reason)
}

// StatusInput is the body of POST /reports/{id}/status.
type StatusInput struct {
	// Status is emergency_response, recovery or closed.
	Status string `json:"status"`
	Note   string `json:"note,omitempty"`
}

// postStatus is POST /reports/{id}/status {"status","note"?}: the response
// moves forward: verified → emergency_response → recovery → closed (a
// phase may be skipped). 422 invalid_status for another target, 409
// invalid_state for a report not verified (or already closed or rejected),
// 409 invalid_transition for a step back.
func postStatus(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	var in StatusInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	if !slices.Contains([]string{StatusEmergency, StatusRecovery, StatusClosed}, in.Status) {
		return 0, nil, invalid(codeInvalidStatus, "status", "status must be emergency_response, recovery or closed (verify with POST /reports/{id}/verify)")
	}
	note, err := checkNote(in.Note, "note")
	if err != nil {
		return 0, nil, err
	}
	rec, rp, err := ownReport(r)
	if err != nil {
		return 0, nil, err
	}
	if !slices.Contains(activeStatuses, rp.Status) {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeInvalidState, "report is %s: the response moves on only once verified and until closed", rp.Status)
	}
	if statusRank(in.Status) <= statusRank(rp.Status) {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeInvalidTransition, "report is %s: the response moves forward only", rp.Status)
	}
	now := req.Now().UTC()
	rp.Status = in.Status
	patch := map[string]any{"status": in.Status, "active": in.Status != StatusClosed, "status_at": now}
	if in.Status == StatusClosed {
		patch["closed_at"] = now
	}
	text := "Status: " + statusLabelID(in.Status)
	if note != "" {
		text += ": " + note
	}
	return commitStatus(r, rec, rp, patch, EventStatusChanged, "report.status", text)
}

// LogEntry is one line of a response's log: an action taken ("Evakuasi 40
// warga ke balai desa"), a need stated ("Beras", 500, "kg"), or a status
// change with its note.
type LogEntry struct {
	ID       string    `json:"id,omitempty"`
	ReportID string    `json:"report_id"`
	Kind     string    `json:"kind"` // action, need or status
	Text     string    `json:"text"`
	Status   string    `json:"status,omitempty"`
	Quantity int64     `json:"quantity,omitempty"`
	Unit     string    `json:"unit,omitempty"`
	At       time.Time `json:"at"`
	By       string    `json:"by,omitempty"`
}

// LogInput is the body of POST /reports/{id}/log.
type LogInput struct {
	Kind     string `json:"kind"` // action or need
	Text     string `json:"text"`
	Quantity int64  `json:"quantity,omitempty" range:"invalid_impact"`
	Unit     string `json:"unit,omitempty"`
}

// postLog is POST /reports/{id}/log {"kind":"action|need","text","quantity"?,"unit"?}:
// 201 with the entry. The log is public with the report: write no one's
// name or NIK in it. 409 invalid_state before verification.
func postLog(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	var in LogInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	if in.Kind != "action" && in.Kind != "need" {
		return 0, nil, invalid(codeInvalidLogKind, "kind", "kind must be action or need")
	}
	in.Text = strings.TrimSpace(in.Text)
	if in.Text == "" {
		return 0, nil, invalid(codeInvalidNote, "text", "text is required")
	}
	if err := input.Text(in.Text, 1000); err != nil {
		return 0, nil, invalid(codeInvalidNote, "text", "text %v", err)
	}
	in.Unit = strings.TrimSpace(in.Unit)
	if err := input.Name(in.Unit, 30); err != nil {
		return 0, nil, invalid(codeInvalidNote, "unit", "unit %v", err)
	}
	if in.Quantity < 0 || in.Quantity > 1_000_000_000 {
		return 0, nil, invalid(codeInvalidImpact, "quantity", "quantity must be 0 to 1,000,000,000")
	}
	rec, rp, err := ownReport(r)
	if err != nil {
		return 0, nil, err
	}
	if !slices.Contains(publishedStatuses, rp.Status) {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeInvalidState, "report is %s: the log starts once it is verified", rp.Status)
	}
	e := LogEntry{ReportID: rec.ID, Kind: in.Kind, Text: in.Text, Quantity: in.Quantity, Unit: in.Unit, At: req.Now().UTC(), By: req.User}
	saved, err := req.Records("log").Insert(r.Context(), e)
	if err != nil {
		return 0, nil, err
	}
	e.ID = saved.ID
	return http.StatusCreated, e, nil
}

// logOf reads a report's log, oldest first (the last 500 entries); the
// public does not see who wrote each.
func logOf(r *http.Request, rec *sdk.Record) ([]LogEntry, error) {
	req := sdk.From(r)
	recs, _, err := req.Records("log").Query().Subtree().Where("report_id", sdk.Eq, rec.ID).OrderBy("at", false).Page(0, 500).Run(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]LogEntry, 0, len(recs))
	for i := range recs {
		var e LogEntry
		if err := recs[i].Decode(&e); err != nil {
			return nil, err
		}
		e.ID = recs[i].ID
		if !req.Can(permRead) {
			e.By = ""
		}
		out = append(out, e)
	}
	return out, nil
}

// statusLabelID is a status in Bahasa Indonesia.
func statusLabelID(s string) string {
	return map[string]string{StatusReported: "Dilaporkan", StatusVerified: "Terverifikasi", StatusEmergency: "Tanggap darurat",
		StatusRecovery: "Pemulihan", StatusClosed: "Selesai", StatusRejected: "Ditolak"}[s]
}

// statusLabelEN is a status in English.
func statusLabelEN(s string) string {
	return map[string]string{StatusReported: "Reported", StatusVerified: "Verified", StatusEmergency: "Emergency response",
		StatusRecovery: "Recovery", StatusClosed: "Closed", StatusRejected: "Rejected"}[s]
}
