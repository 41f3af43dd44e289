package main

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // reports are dated in the village's zone, whatever the server has installed

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// DisasterType is one of BNPB's disaster categories (Data Informasi
// Bencana Indonesia, DIBI; Perka BNPB 8/2011 on disaster data standards).
type DisasterType struct {
	Code    string `json:"code"`
	Label   string `json:"label"`    // Bahasa Indonesia, as BNPB names it
	LabelEN string `json:"label_en"` // English
}

// Types are the disaster types in BNPB's order.
var Types = []DisasterType{
	{"flood", "Banjir", "Flood"},
	{"landslide", "Tanah longsor", "Landslide"},
	{"forest_fire", "Kebakaran hutan dan lahan", "Forest and land fire"},
	{"whirlwind", "Puting beliung", "Whirlwind"},
	{"earthquake", "Gempa bumi", "Earthquake"},
	{"drought", "Kekeringan", "Drought"},
	{"tidal_wave", "Gelombang pasang dan abrasi", "Tidal wave and abrasion"},
	{"tsunami", "Tsunami", "Tsunami"},
	{"eruption", "Erupsi gunung api", "Volcanic eruption"},
	{"epidemic", "Epidemi dan wabah penyakit", "Epidemic"},
	{"other", "Lainnya", "Other"},
}

func typeOf(code string) (DisasterType, bool) {
	for _, t := range Types {
		if t.Code == code {
			return t, true
		}
	}
	return DisasterType{}, false
}

// Statuses of a report. A report is reported until an operator verifies
// (or rejects) it; the response then moves forward only: verified →
// emergency_response (tanggap darurat) → recovery (pemulihan, rehabilitasi
// dan rekonstruksi) → closed, the phases of UU 24/2007 on disaster
// management. A phase may be skipped (a small whirlwind goes from verified
// to closed), never gone back to.
const (
	StatusReported  = "reported"
	StatusVerified  = "verified"
	StatusEmergency = "emergency_response"
	StatusRecovery  = "recovery"
	StatusClosed    = "closed"
	StatusRejected  = "rejected"
)

// Statuses in their order.
var Statuses = []string{StatusReported, StatusVerified, StatusEmergency, StatusRecovery, StatusClosed, StatusRejected}

// publishedStatuses are shown to the public: verified and after.
var publishedStatuses = []string{StatusVerified, StatusEmergency, StatusRecovery, StatusClosed}

// activeStatuses are the disasters still being handled.
var activeStatuses = []string{StatusVerified, StatusEmergency, StatusRecovery}

func statusRank(s string) int { return slices.Index(Statuses, s) }

// Channels a report arrives by.
const (
	ChannelPublic   = "public"   // a citizen, without a login
	ChannelOperator = "operator" // a logged-in operator
)

// report is a report as stored.
type report struct {
	Type         string    `json:"type"`
	Status       string    `json:"status"`
	Active       bool      `json:"active"`
	Published    bool      `json:"published"`
	OccurredAt   time.Time `json:"occurred_at"`
	Year         int       `json:"year"`
	Dusun        string    `json:"dusun,omitempty"`
	Location     string    `json:"location,omitempty"`
	Latitude     *float64  `json:"latitude,omitempty"`
	Longitude    *float64  `json:"longitude,omitempty"`
	Description  string    `json:"description"`
	Channel      string    `json:"channel"`
	ReporterName string    `json:"reporter_name,omitempty"`
	ReporterPh   string    `json:"reporter_phone,omitempty"`
	TrackingCode string    `json:"tracking_code"`
	ReportedAt   time.Time `json:"reported_at"`
	ReportedBy   string    `json:"reported_by,omitempty"`
	VerifiedAt   time.Time `json:"verified_at,omitzero"`
	VerifiedBy   string    `json:"verified_by,omitempty"`
	RejectedAt   time.Time `json:"rejected_at,omitzero"`
	RejectedBy   string    `json:"rejected_by,omitempty"`
	RejectReason string    `json:"reject_reason,omitempty"`
	StatusAt     time.Time `json:"status_at,omitzero"`
	ClosedAt     time.Time `json:"closed_at,omitzero"`
	Impact
	AffectedKK  []string  `json:"affected_kk,omitempty"`
	AffectedNIK []string  `json:"affected_nik,omitempty"`
	ImpactAt    time.Time `json:"impact_at,omitzero"`
	ImpactBy    string    `json:"impact_by,omitempty"`
	Photos      []Photo   `json:"photos,omitempty"`
}

// Impact is a disaster's assessed impact, in BNPB's DIBI categories:
// people dead, missing, injured and displaced (mengungsi), houses damaged
// lightly, moderately and heavily (rusak ringan, sedang, berat), public
// facilities damaged, and the families and residents affected, counted
// from the population register.
type Impact struct {
	Dead              int64  `json:"dead"`
	Missing           int64  `json:"missing"`
	Injured           int64  `json:"injured"`
	Displaced         int64  `json:"displaced"`
	HousesLight       int64  `json:"houses_light"`
	HousesModerate    int64  `json:"houses_moderate"`
	HousesHeavy       int64  `json:"houses_heavy"`
	Facilities        int64  `json:"facilities"`
	FacilitiesNote    string `json:"facilities_note,omitempty"`
	AffectedFamilies  int64  `json:"affected_families"`
	AffectedResidents int64  `json:"affected_residents"`
}

// ReportView is a report as the API answers it. The public (a caller
// without disaster.reports.read) gets only published reports and never the
// reporter, the channel, the tracking code or the KK/NIK lists; a reader
// gets everything but the tracking code, with the reporter and the lists
// masked by the host unless it holds disaster.reports.read_personal.
type ReportView struct {
	ID           string    `json:"id"`
	Tenant       string    `json:"tenant"`
	Version      int64     `json:"version,omitempty"`
	Type         string    `json:"type"`
	TypeLabel    string    `json:"type_label"`
	Status       string    `json:"status"`
	Active       bool      `json:"active"`
	OccurredAt   time.Time `json:"occurred_at"`
	Year         int       `json:"year"`
	Dusun        string    `json:"dusun,omitempty"`
	Location     string    `json:"location,omitempty"`
	Latitude     *float64  `json:"latitude,omitempty"`
	Longitude    *float64  `json:"longitude,omitempty"`
	Description  string    `json:"description"`
	ReportedAt   time.Time `json:"reported_at"`
	VerifiedAt   time.Time `json:"verified_at,omitzero"`
	StatusAt     time.Time `json:"status_at,omitzero"`
	ClosedAt     time.Time `json:"closed_at,omitzero"`
	Impact       Impact    `json:"impact"`
	ImpactAt     time.Time `json:"impact_at,omitzero"`
	Channel      string    `json:"channel,omitempty"`
	ReporterName string    `json:"reporter_name,omitempty"`
	ReporterPh   string    `json:"reporter_phone,omitempty"`
	ReportedBy   string    `json:"reported_by,omitempty"`
	VerifiedBy   string    `json:"verified_by,omitempty"`
	RejectedAt   time.Time `json:"rejected_at,omitzero"`
	RejectedBy   string    `json:"rejected_by,omitempty"`
	RejectReason string    `json:"reject_reason,omitempty"`
	ImpactBy     string    `json:"impact_by,omitempty"`
	AffectedKK   []string  `json:"affected_kk,omitempty"`
	AffectedNIK  []string  `json:"affected_nik,omitempty"`
	// Photos of the report, at most 6, each with its URL and thumbnail's.
	Photos []PhotoView `json:"photos"`
	// Log is the response's log, oldest first, on GET /reports/{id} only.
	Log []LogEntry `json:"log,omitempty"`
}

func decodeReport(rec *sdk.Record) (*report, error) {
	var rp report
	if err := rec.Decode(&rp); err != nil {
		return nil, fmt.Errorf("decoding report %s: %w", rec.ID, err)
	}
	return &rp, nil
}

// viewOf shows rec to the caller of req: the whole record to a reader,
// the public part otherwise.
func viewOf(rec *sdk.Record, req *sdk.Request) (ReportView, error) {
	rp, err := decodeReport(rec)
	if err != nil {
		return ReportView{}, err
	}
	t, _ := typeOf(rp.Type)
	v := ReportView{ID: rec.ID, Tenant: rec.Tenant, Type: rp.Type, TypeLabel: t.Label, Status: rp.Status, Active: rp.Active,
		OccurredAt: rp.OccurredAt, Year: rp.Year, Dusun: rp.Dusun, Location: rp.Location, Latitude: rp.Latitude, Longitude: rp.Longitude,
		Description: rp.Description, ReportedAt: rp.ReportedAt, VerifiedAt: rp.VerifiedAt, StatusAt: rp.StatusAt, ClosedAt: rp.ClosedAt,
		Impact: rp.Impact, ImpactAt: rp.ImpactAt, Photos: photoViews(rec.Tenant, rec.ID, rp.Photos)}
	if req.Can(permRead) {
		v.Version = rec.Version
		v.Channel, v.ReporterName, v.ReporterPh, v.ReportedBy, v.VerifiedBy = rp.Channel, rp.ReporterName, rp.ReporterPh, rp.ReportedBy, rp.VerifiedBy
		v.RejectedAt, v.RejectedBy, v.RejectReason, v.ImpactBy = rp.RejectedAt, rp.RejectedBy, rp.RejectReason, rp.ImpactBy
		v.AffectedKK, v.AffectedNIK = rp.AffectedKK, rp.AffectedNIK
	}
	return v, nil
}

// errNotAVillage refuses a write outside a village: a report belongs to
// the village where the disaster happened, and districts and regencies
// read and count them.
func errNotAVillage(req *sdk.Request) error {
	return sdk.Errorf(http.StatusUnprocessableEntity, codeNotAVillage,
		"disasters are reported and handled at a village: use /api/v1/t/{village code}/disaster/... (%s is a %s)", req.Tenant, req.Level)
}

// villageOnly runs fn only at a village tenant, 422 not_a_village elsewhere.
func villageOnly(fn func(*http.Request) (int, any, error)) func(*http.Request) (int, any, error) {
	return func(r *http.Request) (int, any, error) {
		if req := sdk.From(r); req.Level != sdk.Village {
			return 0, nil, errNotAVillage(req)
		}
		return fn(r)
	}
}

// ReportInput is the body of POST /reports. occurred_at is RFC 3339;
// latitude and longitude come together, in decimal degrees within
// Indonesia; reporter_name and reporter_phone are required from a citizen
// (the village calls back to verify) and optional from an operator.
type ReportInput struct {
	Type          string   `json:"type"`
	OccurredAt    string   `json:"occurred_at"`
	Dusun         string   `json:"dusun,omitempty"`
	Location      string   `json:"location,omitempty"`
	Latitude      *float64 `json:"latitude,omitempty" range:"invalid_coordinates"`
	Longitude     *float64 `json:"longitude,omitempty" range:"invalid_coordinates"`
	Description   string   `json:"description"`
	ReporterName  string   `json:"reporter_name,omitempty"`
	ReporterPhone string   `json:"reporter_phone,omitempty"`
}

// Created is the answer to POST /reports: the tracking code the reporter
// follows the report with (GET /track/{code}); the id only to an operator.
type Created struct {
	ID           string `json:"id,omitempty"`
	TrackingCode string `json:"tracking_code"`
	Status       string `json:"status"`
}

func invalid(code sdk.Code, field, format string, args ...any) error {
	e := sdk.Errorf(http.StatusUnprocessableEntity, code, format, args...)
	e.Field = field
	return e
}

// normalizePhone checks an Indonesian phone number (08xx, +628xx or 628xx,
// spaces and dashes allowed) and answers it as 08xx.
func normalizePhone(s string) (string, bool) {
	s = strings.NewReplacer(" ", "", "-", "", ".", "").Replace(strings.TrimSpace(s))
	switch {
	case strings.HasPrefix(s, "+62"):
		s = "0" + s[3:]
	case strings.HasPrefix(s, "62"):
		s = "0" + s[2:]
	}
	if !strings.HasPrefix(s, "0") || len(s) < 9 || len(s) > 14 || strings.Trim(s, "0123456789") != "" {
		return "", false
	}
	return s, true
}

// check validates the input against now (the village's clock); public
// says whether the reporter's name and phone are required.
func (in *ReportInput) check(now time.Time, public bool) (*report, error) {
	if _, ok := typeOf(in.Type); !ok {
		return nil, invalid(codeInvalidType, "type", "type %q is not one of BNPB's types: flood, landslide, forest_fire, whirlwind, earthquake, drought, tidal_wave, tsunami, eruption, epidemic, other", in.Type)
	}
	at, err := time.Parse(time.RFC3339, strings.TrimSpace(in.OccurredAt))
	if err != nil {
		return nil, invalid(codeInvalidOccurredAt, "occurred_at", "occurred_at must be an RFC 3339 time")
	}
	if at.After(now.Add(10 * time.Minute)) {
		return nil, invalid(codeInvalidOccurredAt, "occurred_at", "occurred_at is in the future")
	}
	if at.Before(now.AddDate(-1, 0, 0)) {
		return nil, invalid(codeInvalidOccurredAt, "occurred_at", "occurred_at is more than a year ago")
	}
	in.Description = strings.TrimSpace(in.Description)
	if in.Description == "" {
		return nil, invalid(codeInvalidDescription, "description", "description is required")
	}
	if err := input.Text(in.Description, 2000); err != nil {
		return nil, invalid(codeInvalidDescription, "description", "description %v", err)
	}
	in.Dusun, in.Location = strings.TrimSpace(in.Dusun), strings.TrimSpace(in.Location)
	if err := input.Name(in.Dusun, 100); err != nil {
		return nil, invalid(codeInvalidPlace, "dusun", "dusun %v", err)
	}
	if err := input.Name(in.Location, 200); err != nil {
		return nil, invalid(codeInvalidPlace, "location", "location %v", err)
	}
	if (in.Latitude == nil) != (in.Longitude == nil) {
		return nil, invalid(codeInvalidCoordinates, "latitude", "latitude and longitude come together")
	}
	// Indonesia lies between 6°N and 11°S, 95°E and 141°E (with a margin).
	if in.Latitude != nil && (*in.Latitude < -11.5 || *in.Latitude > 6.5 || *in.Longitude < 94.5 || *in.Longitude > 141.5) {
		return nil, invalid(codeInvalidCoordinates, "latitude", "coordinates %.5f, %.5f are outside Indonesia", *in.Latitude, *in.Longitude)
	}
	in.ReporterName = strings.TrimSpace(in.ReporterName)
	if public && in.ReporterName == "" {
		return nil, invalid(codeInvalidReporter, "reporter_name", "reporter_name is required: the village calls the reporter back to verify")
	}
	if err := input.Name(in.ReporterName, 100); err != nil {
		return nil, invalid(codeInvalidReporter, "reporter_name", "reporter_name %v", err)
	}
	phone := ""
	if strings.TrimSpace(in.ReporterPhone) != "" || public {
		var ok bool
		if phone, ok = normalizePhone(in.ReporterPhone); !ok {
			return nil, invalid(codeInvalidPhone, "reporter_phone", "reporter_phone must be an Indonesian number such as 081234567890")
		}
	}
	at = at.In(now.Location())
	return &report{Type: in.Type, Status: StatusReported, OccurredAt: at.UTC(), Year: at.Year(), Dusun: in.Dusun, Location: in.Location,
		Latitude: in.Latitude, Longitude: in.Longitude, Description: in.Description, ReporterName: in.ReporterName, ReporterPh: phone}, nil
}

// trackingAlphabet is Crockford's base 32: no I, L, O or U to misread.
const trackingAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newTrackingCode is 12 random characters (60 bits), grouped as
// XXXX-XXXX-XXXX to read over the phone.
func newTrackingCode() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	out := make([]byte, 0, 14)
	for i, c := range b {
		if i == 4 || i == 8 {
			out = append(out, '-')
		}
		out = append(out, trackingAlphabet[c&31])
	}
	return string(out)
}

// createReport is POST /reports: a citizen's report (public, rate
// limited) or an operator's (logged in with disaster.reports.write). Both
// start as reported and are published only once verified. 201 Created.
func createReport(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	if req.Level != sdk.Village {
		return 0, nil, errNotAVillage(req)
	}
	var in ReportInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	out, _, err := submitReport(r, &in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, out, nil
}

// submitReport checks and stores a report for the caller of r (the API's
// and the forms' one way in), answering what the caller may see and the
// new record's id.
func submitReport(r *http.Request, in *ReportInput) (Created, string, error) {
	req := sdk.From(r)
	if req.Level != sdk.Village {
		return Created{}, "", errNotAVillage(req)
	}
	operator := req.User != "" && req.Can(permWrite)
	rp, err := in.check(req.Now(), !operator)
	if err != nil {
		return Created{}, "", err
	}
	rp.Channel, rp.ReportedAt, rp.TrackingCode = ChannelPublic, req.Now().UTC(), newTrackingCode()
	if operator {
		rp.Channel, rp.ReportedBy = ChannelOperator, req.User
	}
	b := req.Batch()
	w := b.Insert("reports", rp)
	b.Publish(EventSubmitted, eventPayload(req.Tenant, "", rp))
	if err := b.Commit(r.Context()); err != nil {
		return Created{}, "", err
	}
	out := Created{TrackingCode: rp.TrackingCode, Status: rp.Status}
	if req.Can(permRead) {
		out.ID = w.Record.ID
	}
	return out, w.Record.ID, nil
}

// EventPayload is what every event of the module carries: the report's
// facts, never personal data (no reporter, no KK or NIK). Impact is set on
// disaster.impact_assessed: dead, missing, injured, displaced,
// affected_families, affected_residents.
type EventPayload struct {
	ReportID   string           `json:"report_id"`
	Village    string           `json:"village"`
	Type       string           `json:"type"`
	Status     string           `json:"status"`
	OccurredAt time.Time        `json:"occurred_at"`
	Year       int              `json:"year"`
	Impact     map[string]int64 `json:"impact,omitempty"`
}

func eventPayload(tenant, id string, rp *report) *EventPayload {
	return &EventPayload{ReportID: id, Village: tenant, Type: rp.Type, Status: rp.Status, OccurredAt: rp.OccurredAt, Year: rp.Year}
}

// listFilter reads GET /reports' filters: status, type, year, active.
func listFilter(r *http.Request, q *sdk.Query, public bool) error {
	params := r.URL.Query()
	if s := params.Get("status"); s != "" {
		if !slices.Contains(Statuses, s) {
			return sdk.Errorf(http.StatusBadRequest, codeInvalidFilter, "status %q is not one of %s", s, strings.Join(Statuses, ", "))
		}
		if public && !slices.Contains(publishedStatuses, s) {
			return sdk.Errorf(http.StatusBadRequest, codeInvalidFilter, "only verified reports are published")
		}
		q.Where("status", sdk.Eq, s)
	} else if public {
		q.Where("published", sdk.Eq, true)
	}
	if t := params.Get("type"); t != "" {
		if _, ok := typeOf(t); !ok {
			return sdk.Errorf(http.StatusBadRequest, codeInvalidFilter, "type %q is not a disaster type", t)
		}
		q.Where("type", sdk.Eq, t)
	}
	if y := params.Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1900 || n > 9999 {
			return sdk.Errorf(http.StatusBadRequest, codeInvalidFilter, "year must be a year such as 2026")
		}
		q.Where("year", sdk.Eq, n)
	}
	switch params.Get("active") {
	case "":
	case "true", "1":
		q.Where("active", sdk.Eq, true)
	case "false", "0":
		q.Where("active", sdk.Eq, false)
	default:
		return sdk.Errorf(http.StatusBadRequest, codeInvalidFilter, "active must be true or false")
	}
	return nil
}

// listReports is GET /reports: the reports of the tenant and every village
// below it where the module is on, newest first. The public gets the
// verified ones only (verified, emergency_response, recovery, closed); a
// caller with disaster.reports.read gets every status. Filters: status,
// type, year, active=true|false; ?page=&limit=.
func listReports(r *http.Request) (int, any, error) {
	offset, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	q := req.Records("reports").Query().Subtree()
	if err := listFilter(r, q, !req.Can(permRead)); err != nil {
		return 0, nil, err
	}
	recs, total, err := q.OrderBy("occurred_at", true).Page(offset, limit).WithTotal().Run(r.Context())
	if err != nil {
		return 0, nil, err
	}
	items := make([]ReportView, 0, len(recs))
	for i := range recs {
		v, err := viewOf(&recs[i], req)
		if err != nil {
			return 0, nil, err
		}
		items = append(items, v)
	}
	return http.StatusOK, sdk.ListOf[ReportView]{Items: items, Total: total}, nil
}

// findReport reads the report id of the tenant or a village below it.
func findReport(r *http.Request, id string) (*sdk.Record, error) {
	req := sdk.From(r)
	recs, _, err := req.Records("reports").Query().Subtree().Where(sdk.FieldID, sdk.Eq, id).Page(0, 1).Run(r.Context())
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, sdk.Errorf(http.StatusNotFound, codeReportNotFound, "no report %s in %s", id, req.Tenant)
	}
	return &recs[0], nil
}

// getReport is GET /reports/{id}: a report with its log. The public gets
// a published report only (404 report_not_found otherwise).
func getReport(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	id := r.PathValue("id")
	if !validID(id) {
		return 0, nil, sdk.Errorf(http.StatusNotFound, codeReportNotFound, "no report %s", id)
	}
	rec, err := findReport(r, id)
	if err != nil {
		return 0, nil, err
	}
	v, err := viewOf(rec, req)
	if err != nil {
		return 0, nil, err
	}
	if !req.Can(permRead) && !slices.Contains(publishedStatuses, v.Status) {
		return 0, nil, sdk.Errorf(http.StatusNotFound, codeReportNotFound, "no report %s", id)
	}
	if v.Log, err = logOf(r, rec); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, v, nil
}

// validID is a record id's shape (a UUID), so that nothing else reaches a query.
func validID(id string) bool {
	return len(id) == 36 && strings.Trim(id, "0123456789abcdef-") == ""
}

// Tracking is the answer of GET /track/{code}: what a reporter may learn
// of the report they sent (no one's name, no impact details).
type Tracking struct {
	TrackingCode string    `json:"tracking_code"`
	Type         string    `json:"type"`
	TypeLabel    string    `json:"type_label"`
	Status       string    `json:"status"`
	ReportedAt   time.Time `json:"reported_at"`
	VerifiedAt   time.Time `json:"verified_at,omitzero"`
	RejectReason string    `json:"reject_reason,omitempty"`
	// ReportID is set once published, to open the public page.
	ReportID string `json:"report_id,omitempty"`
}

// trackReport is GET /track/{code} (public, 60 a minute per address): the
// status of the report with this tracking code, in this village.
func trackReport(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	code := strings.ToUpper(strings.TrimSpace(r.PathValue("code")))
	if len(code) != 14 {
		return 0, nil, sdk.Errorf(http.StatusNotFound, codeReportNotFound, "no report has this tracking code")
	}
	rec, err := req.Records("reports").GetBy(r.Context(), "tracking_code", code)
	if err != nil {
		if errorsIsNotFound(err) {
			return 0, nil, sdk.Errorf(http.StatusNotFound, codeReportNotFound, "no report has this tracking code")
		}
		return 0, nil, err
	}
	rp, err := decodeReport(rec)
	if err != nil {
		return 0, nil, err
	}
	t, _ := typeOf(rp.Type)
	out := Tracking{TrackingCode: code, Type: rp.Type, TypeLabel: t.Label, Status: rp.Status, ReportedAt: rp.ReportedAt,
		VerifiedAt: rp.VerifiedAt, RejectReason: rp.RejectReason}
	if rp.Published {
		out.ReportID = rec.ID
	}
	return http.StatusOK, out, nil
}
