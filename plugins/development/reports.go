package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/thumb"
)

const (
	// maxPhotoBytes bounds one photo: a phone camera's JPEG fits.
	maxPhotoBytes = 5 << 20
	// maxReportPhotos are the photos one report may carry, and
	// maxProjectPhotos a project's whole timeline.
	maxReportPhotos  = 3
	maxProjectPhotos = 60
	// maxReportBytes is the progress route's body limit: the photos and
	// the multipart form around them.
	maxReportBytes = maxReportPhotos*maxPhotoBytes + 64<<10
)

// photoTypes are what browsers show inline; the host sniffs the data and
// refuses anything else, whatever the uploader claims.
var photoTypes = []string{"image/jpeg", "image/png", "image/webp"}

// progressInput is a progress report: as JSON, or as the fields of a
// multipart form whose file parts are its photos.
type progressInput struct {
	// Date is the day the state was observed, YYYY-MM-DD in the village's
	// calendar: not after today, not before the latest report.
	Date string `json:"date"`
	// Percent is the physical progress, 0 to 100, cumulative.
	Percent *float64 `json:"percent" range:"invalid_percent"`
	// Spent is the money spent so far in whole rupiah, cumulative; above
	// the budget only with OverBudgetReason.
	Spent            *int64 `json:"spent" range:"invalid_spent"`
	Notes            string `json:"notes"`
	OverBudgetReason string `json:"over_budget_reason"`
}

// upload is a photo read from a multipart report.
type upload struct {
	name string
	data []byte
}

// Report is a progress report as stored.
type Report struct {
	ProjectID        string    `json:"project_id"`
	Date             string    `json:"date"`
	Percent          float64   `json:"percent"`
	Spent            int64     `json:"spent"`
	Notes            string    `json:"notes,omitempty"`
	OverBudgetReason string    `json:"over_budget_reason,omitempty"`
	Photos           []Photo   `json:"photos,omitempty"`
	ReportedBy       string    `json:"reported_by,omitempty"`
	ReportedAt       time.Time `json:"reported_at"`
}

// ReportView is a progress report as the API answers it; reported_by
// only to the village's staff.
type ReportView struct {
	ID               string      `json:"id"`
	Date             string      `json:"date"`
	Percent          float64     `json:"percent"`
	Spent            int64       `json:"spent"`
	Notes            string      `json:"notes,omitempty"`
	OverBudgetReason string      `json:"over_budget_reason,omitempty"`
	Photos           []PhotoView `json:"photos"`
	ReportedBy       string      `json:"reported_by,omitempty"`
	ReportedAt       time.Time   `json:"reported_at"`
}

func newReportView(r *http.Request, rec *sdk.Record, tenant, projectID string) (ReportView, error) {
	var rep Report
	if err := rec.Decode(&rep); err != nil {
		return ReportView{}, err
	}
	v := ReportView{ID: rec.ID, Date: rep.Date, Percent: rep.Percent, Spent: rep.Spent, Notes: rep.Notes,
		OverBudgetReason: rep.OverBudgetReason, ReportedAt: rep.ReportedAt, Photos: []PhotoView{}}
	if sdk.From(r).Can(permRead) {
		v.ReportedBy = rep.ReportedBy
	}
	for _, ph := range rep.Photos {
		v.Photos = append(v.Photos, photoView(tenant, projectID, ph))
	}
	return v, nil
}

// readProgress reads a report from r: JSON, or a multipart form (fields
// date, percent, spent, notes, over_budget_reason; file parts are
// photos; csrf_token, which the console's form carries, is ignored).
func readProgress(r *http.Request) (progressInput, []upload, error) {
	var in progressInput
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		err := sdk.Bind(r, &in)
		return in, nil, err
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return in, nil, sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the multipart form cannot be read: %v", err)
	}
	var ups []upload
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return in, nil, sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the multipart form cannot be read: %v", err)
		}
		if part.FileName() != "" || part.FormName() == "photo" {
			data, err := io.ReadAll(io.LimitReader(part, maxPhotoBytes+1))
			if err != nil {
				return in, nil, sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the multipart form cannot be read: %v", err)
			}
			if len(data) == 0 {
				continue // a file input left empty
			}
			if len(data) > maxPhotoBytes {
				return in, nil, photoTooLarge()
			}
			if len(ups) == maxReportPhotos {
				return in, nil, invalid(codeTooManyPhotos, "photo", "a report carries at most %d photos", maxReportPhotos)
			}
			ups = append(ups, upload{name: part.FileName(), data: data})
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, 8<<10))
		if err != nil {
			return in, nil, sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the multipart form cannot be read: %v", err)
		}
		s := strings.TrimSpace(string(b))
		switch part.FormName() {
		case "date":
			in.Date = s
		case "percent":
			if s != "" {
				f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
				if err != nil {
					return in, nil, invalid(codeInvalidPercent, "percent", "percent must be a number from 0 to 100")
				}
				in.Percent = &f
			}
		case "spent":
			if s != "" {
				n, err := strconv.ParseInt(strings.ReplaceAll(s, ".", ""), 10, 64)
				if err != nil {
					return in, nil, invalid(codeInvalidSpent, "spent", "spent must be whole rupiah")
				}
				in.Spent = &n
			}
		case "notes":
			in.Notes = s
		case "over_budget_reason":
			in.OverBudgetReason = s
		case "csrf_token":
		default:
			return in, nil, sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the form has an unknown field %q", part.FormName())
		}
	}
	return in, ups, nil
}

func photoTooLarge() error {
	return sdk.Errorf(http.StatusRequestEntityTooLarge, codePhotoTooLarge, "a photo is at most %d bytes (%d MiB)", maxPhotoBytes, maxPhotoBytes>>20)
}

// checkReport validates in against the project p on the village's
// today, and returns the report to store (without photos).
func checkReport(in progressInput, p Project, today string, photos int) (Report, error) {
	var rep Report
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(in.Date))
	if err != nil {
		return rep, invalid(codeInvalidDate, "date", "date must be a date YYYY-MM-DD")
	}
	rep.Date = d.Format(time.DateOnly)
	switch {
	case rep.Date > today:
		return rep, invalid(codeDateInFuture, "date", "date %s is after today (%s) in the village", rep.Date, today)
	case p.LastReport != "" && rep.Date < p.LastReport:
		return rep, invalid(codeDateBeforeLast, "date", "date %s is before the latest report's (%s)", rep.Date, p.LastReport)
	}
	if in.Percent == nil || math.IsNaN(*in.Percent) || *in.Percent < 0 || *in.Percent > 100 {
		return rep, invalid(codeInvalidPercent, "percent", "percent must be a number from 0 to 100")
	}
	rep.Percent = math.Round(*in.Percent*100) / 100
	if rep.Percent < p.Percent {
		return rep, invalid(codeProgressDecreased, "percent", "percent %.2f is below the latest report's %.2f: progress is cumulative", rep.Percent, p.Percent)
	}
	if in.Spent == nil || *in.Spent < 0 || *in.Spent > maxAmount {
		return rep, invalid(codeInvalidSpent, "spent", "spent must be whole rupiah from 0 to %d, cumulative", int64(maxAmount))
	}
	rep.Spent = *in.Spent
	if rep.Spent < p.Spent {
		return rep, invalid(codeSpentDecreased, "spent", "spent %d is below the latest report's %d: it is cumulative", rep.Spent, p.Spent)
	}
	if rep.Notes, err = cleanText("notes", codeInvalidNotes, in.Notes, 1000); err != nil {
		return rep, err
	}
	if rep.OverBudgetReason, err = cleanText("over_budget_reason", codeInvalidNotes, in.OverBudgetReason, 500); err != nil {
		return rep, err
	}
	// A reason is asked for each rise above the budget; a later report
	// that spends no more carries the flag without repeating it.
	if rep.Spent > p.Budget && rep.Spent > p.Spent && rep.OverBudgetReason == "" {
		return rep, invalid(codeSpentExceedsBudget, "spent", "spent %d is above the budget %d: give over_budget_reason", rep.Spent, p.Budget)
	}
	if rep.Percent == 100 && photos == 0 {
		return rep, invalid(codeFinalPhotoRequired, "photo", "a report of 100%% completes the project and needs a photo of the finished work")
	}
	if len(p.Photos)+photos > maxProjectPhotos {
		return rep, invalid(codeTooManyPhotos, "photo", "a project keeps at most %d photos", maxProjectPhotos)
	}
	return rep, nil
}

// ProgressAnswer is what POST /projects/{id}/progress answers: the
// report and the project after it.
type ProgressAnswer struct {
	Report  ReportView  `json:"report"`
	Project ProjectView `json:"project"`
}

// reportProgress records a progress report (POST /projects/{id}/progress).
// The first report moves a planned project to ongoing; one of 100% (with
// a photo) completes it.
func reportProgress(r *http.Request) (int, any, error) {
	if r.ContentLength > maxReportBytes {
		return 0, nil, photoTooLarge()
	}
	in, ups, err := readProgress(r)
	if err != nil {
		return 0, nil, err
	}
	return submitProgress(r, in, ups)
}

// submitProgress checks and stores a report read from r's body.
func submitProgress(r *http.Request, in progressInput, ups []upload) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	rec, err := findProject(r, r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	var p Project
	if err := rec.Decode(&p); err != nil {
		return 0, nil, err
	}
	if p.State == StateCompleted || p.State == StateCancelled {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeProjectClosed, "the project is %s: it takes no more reports", p.State)
	}
	rep, err := checkReport(in, p, req.Today(), len(ups))
	if err != nil {
		return 0, nil, err
	}
	var stored []string
	cleanup := func() {
		for _, id := range stored {
			if derr := req.DeleteFile(ctx, id); derr != nil {
				sdk.Logf(ctx, "warn", "file %s of project %s left unreferenced: %v", id, rec.ID, derr)
			}
		}
	}
	for _, u := range ups {
		f, err := req.PutFile(ctx, u.name, bytes.NewReader(u.data), sdk.FileRules{Accept: photoTypes, MaxBytes: maxPhotoBytes})
		var se *sdk.Error
		switch {
		case errors.Is(err, sdk.ErrInvalid) && errors.As(err, &se):
			cleanup()
			return 0, nil, sdk.Errorf(http.StatusUnsupportedMediaType, codeNotAnImage, "a photo must be a JPEG, PNG or WebP image: %s", se.Message)
		case errors.Is(err, sdk.ErrTooLarge):
			cleanup()
			return 0, nil, photoTooLarge()
		case err != nil:
			cleanup()
			return 0, nil, fmt.Errorf("storing a photo: %w", err)
		}
		stored = append(stored, f.ID)
		ph := Photo{ID: f.ID, ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256, Date: rep.Date, Percent: rep.Percent}
		if small, terr := thumb.Store(ctx, req, u.data); terr != nil {
			sdk.Logf(ctx, "warn", "photo %s of project %s has no thumbnail: %v", f.ID, rec.ID, terr)
		} else if small != "" {
			ph.Thumb = small
			stored = append(stored, small)
		}
		rep.Photos = append(rep.Photos, ph)
	}
	rep.ProjectID, rep.ReportedBy, rep.ReportedAt = rec.ID, req.User, req.Now().UTC()
	now := req.Now().UTC()
	patch := map[string]any{"percent": rep.Percent, "spent": rep.Spent, "last_report": rep.Date, "over_budget": rep.Spent > p.Budget}
	events := []string{eventProgress}
	if p.State == StatePlanned {
		p.State = StateOngoing
		patch["state"], patch["started_at"] = StateOngoing, now
	}
	if rep.Percent == 100 {
		p.State = StateCompleted
		patch["state"], patch["completed_at"] = StateCompleted, now
		events = append(events, eventCompleted)
	}
	p.Percent, p.Spent = rep.Percent, rep.Spent
	b := req.Batch()
	w := b.Insert("reports", rep)
	if len(rep.Photos) > 0 {
		photos := append([]Photo{}, p.Photos...)
		// The report's id is not known before the commit: photos on the
		// project name their report by date and percent, and the report
		// itself holds them.
		photos = append(photos, rep.Photos...)
		patch["photos"] = photos
	}
	pw := b.Update("projects", rec.ID, rec.Version, patch)
	for _, ev := range events {
		b.Publish(ev, payload(req.Tenant, rec.ID, p))
	}
	if err := b.Commit(ctx); err != nil {
		cleanup()
		if errors.Is(err, sdk.ErrConflict) {
			return 0, nil, sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "the project changed while reporting: read it and report again")
		}
		return 0, nil, err
	}
	pl, err := loadPlaces(r)
	if err != nil {
		return 0, nil, err
	}
	pv, err := newProjectView(r, &pw.Record, pl)
	if err != nil {
		return 0, nil, err
	}
	rv, err := newReportView(r, &w.Record, req.Tenant, rec.ID)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, ProgressAnswer{Report: rv, Project: pv}, nil
}

// cancelInput is the body of POST /projects/{id}/cancel.
type cancelInput struct {
	Reason string `json:"reason"`
}

// cancelProject cancels a planned or ongoing project (POST
// /projects/{id}/cancel, the village head's decision): its reports and
// photos stay.
func cancelProject(r *http.Request) (int, any, error) {
	var in cancelInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	return cancelWith(r, in)
}

func cancelWith(r *http.Request, in cancelInput) (int, any, error) {
	req := sdk.From(r)
	reason, err := cleanText("reason", codeInvalidReason, in.Reason, 500)
	if err != nil {
		return 0, nil, err
	}
	if reason == "" {
		return 0, nil, invalid(codeInvalidReason, "reason", "a cancellation needs its reason")
	}
	rec, err := findProject(r, r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	var p Project
	if err := rec.Decode(&p); err != nil {
		return 0, nil, err
	}
	if p.State == StateCompleted || p.State == StateCancelled {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeProjectClosed, "the project is already %s", p.State)
	}
	p.State = StateCancelled
	b := req.Batch()
	w := b.Update("projects", rec.ID, rec.Version, map[string]any{"state": StateCancelled, "cancelled_at": req.Now().UTC(), "cancel_reason": reason})
	b.Publish(eventCancelled, payload(req.Tenant, rec.ID, p))
	b.Audit("project.cancel", rec.ID, map[string]string{"reason": reason})
	if err := b.Commit(r.Context()); err != nil {
		return 0, nil, err
	}
	pl, err := loadPlaces(r)
	if err != nil {
		return 0, nil, err
	}
	v, err := newProjectView(r, &w.Record, pl)
	return http.StatusOK, v, err
}
