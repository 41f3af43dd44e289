package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// States of a complaint: received -> in_progress (assigned to an
// official) -> answered -> closed, or rejected with a reason from
// received or in_progress. Escalation keeps a complaint open and sends it
// back to received at the district or regency it went to.
const (
	StateReceived   = "received"
	StateInProgress = "in_progress"
	StateAnswered   = "answered"
	StateClosed     = "closed"
	StateRejected   = "rejected"
)

// states in their order of the workflow.
var states = []string{StateReceived, StateInProgress, StateAnswered, StateClosed, StateRejected}

// openStates are those waiting for the village's (or the district's,
// the regency's) answer: they are timed against the due date.
var openStates = []string{StateReceived, StateInProgress}

// Category is a kind of complaint.
type Category struct {
	Code, Name, NameEN string
}

// categories are those of the issue, in the words of the village's
// complaint box.
var categories = []Category{
	{"public_services", "Pelayanan publik", "Public services"},
	{"infrastructure", "Infrastruktur", "Infrastructure"},
	{"social", "Sosial", "Social"},
	{"security", "Keamanan dan ketertiban", "Security"},
	{"environment", "Lingkungan", "Environment"},
	{"other", "Lainnya", "Other"},
}

func categoryCodes() []string {
	out := make([]string, len(categories))
	for i, c := range categories {
		out[i] = c.Code
	}
	return out
}

func categoryName(code string) string {
	for _, c := range categories {
		if c.Code == code {
			return c.Name
		}
	}
	return code
}

// Channels a complaint arrives by.
const (
	ChannelOnline = "online" // a citizen, without a login
	ChannelOffice = "office" // a clerk typed it in at the counter
)

// complaint is a complaint as stored.
type complaint struct {
	Ref           string    `json:"ref"`
	TrackCode     string    `json:"track_code,omitempty"`
	Category      string    `json:"category"`
	Description   string    `json:"description"`
	Place         string    `json:"place,omitempty"`
	Photo         string    `json:"photo,omitempty"`
	PhotoType     string    `json:"photo_type,omitempty"`
	Name          string    `json:"name,omitempty"`
	Phone         string    `json:"phone,omitempty"`
	Anonymous     bool      `json:"anonymous"`
	Publish       bool      `json:"publish"`
	Channel       string    `json:"channel"`
	State         string    `json:"state"`
	SubmittedBy   string    `json:"submitted_by,omitempty"`
	SubmittedAt   time.Time `json:"submitted_at"`
	SubmittedDate string    `json:"submitted_date"`
	TargetDays    int       `json:"target_days"`
	DueDate       string    `json:"due_date"`

	AssignedUser string    `json:"assigned_user,omitempty"`
	AssignedName string    `json:"assigned_name,omitempty"`
	AssignedBy   string    `json:"assigned_by,omitempty"`
	AssignedAt   time.Time `json:"assigned_at,omitzero"`

	Answer        string    `json:"answer,omitempty"`
	AnsweredBy    string    `json:"answered_by,omitempty"`
	AnsweredAt    time.Time `json:"answered_at,omitzero"`
	AnsweredDate  string    `json:"answered_date,omitempty"`
	AnsweredLevel string    `json:"answered_level,omitempty"`
	ResponseDays  *int      `json:"response_days,omitempty"`
	OnTime        *bool     `json:"on_time,omitempty"`

	RejectReason string    `json:"reject_reason,omitempty"`
	RejectedBy   string    `json:"rejected_by,omitempty"`
	RejectedAt   time.Time `json:"rejected_at,omitzero"`

	EscalatedTo      string    `json:"escalated_to,omitempty"`
	EscalationLevel  string    `json:"escalation_level,omitempty"`
	EscalationReason string    `json:"escalation_reason,omitempty"`
	EscalatedBy      string    `json:"escalated_by,omitempty"`
	EscalatedAt      time.Time `json:"escalated_at,omitzero"`

	ClosedBy string    `json:"closed_by,omitempty"`
	ClosedAt time.Time `json:"closed_at,omitzero"`

	Rating        int       `json:"rating,omitempty"`
	RatingComment string    `json:"rating_comment,omitempty"`
	RatedAt       time.Time `json:"rated_at,omitzero"`
}

// complaintView is a complaint as the API shows it to staff: the tracking
// code is never shown; name and phone are masked by the host for callers
// without read_personal.
type complaintView struct {
	ID      string `json:"id"`
	Tenant  string `json:"tenant"`
	Village string `json:"village,omitempty"`
	Version int64  `json:"version"`
	complaint
	CategoryName string `json:"category_name"`
	// Overdue is true for an open complaint past its due date.
	Overdue  bool      `json:"overdue"`
	HasPhoto bool      `json:"has_photo"`
	PhotoURL string    `json:"photo_url,omitempty"`
	Masked   bool      `json:"masked"`
	Created  time.Time `json:"created_at"`
	Updated  time.Time `json:"updated_at"`
}

func decode(rec *sdk.Record) (*complaint, error) {
	var c complaint
	if err := rec.Decode(&c); err != nil {
		return nil, fmt.Errorf("decoding complaint %s: %w", rec.ID, err)
	}
	return &c, nil
}

// overdue says whether c is open past its due date on today.
func (c *complaint) overdue(today string) bool {
	return slices.Contains(openStates, c.State) && today > c.DueDate
}

func viewOf(rec *sdk.Record, req *sdk.Request) (complaintView, error) {
	c, err := decode(rec)
	if err != nil {
		return complaintView{}, err
	}
	v := complaintView{ID: rec.ID, Tenant: rec.Tenant, Version: rec.Version, complaint: *c, CategoryName: categoryName(c.Category),
		Overdue: c.overdue(req.Today()), HasPhoto: c.Photo != "", Masked: !req.Can(permPersonal), Created: rec.CreatedAt, Updated: rec.UpdatedAt}
	if v.HasPhoto {
		v.PhotoURL = "/api/v1/t/" + rec.Tenant + "/complaints/photos/" + rec.ID
	}
	v.TrackCode, v.Photo = "", ""
	return v, nil
}

// eventPayload is what other modules (the performance evaluation) hear of
// a complaint: no personal data, no text.
type eventPayload struct {
	// ID is the complaint's id; absent from complaint_received (the ref
	// names it there: the id is given as the batch commits).
	ID           string `json:"id,omitempty"`
	Ref          string `json:"ref"`
	Village      string `json:"village"`
	Category     string `json:"category"`
	State        string `json:"state"`
	SubmittedAt  string `json:"submitted_at"`
	DueDate      string `json:"due_date"`
	EscalatedTo  string `json:"escalated_to,omitempty"`
	ResponseDays *int   `json:"response_days,omitempty"`
	OnTime       *bool  `json:"on_time,omitempty"`
	Rating       int    `json:"rating,omitempty"`
}

func payloadOf(id, village string, c *complaint) eventPayload {
	return eventPayload{ID: id, Ref: c.Ref, Village: village, Category: c.Category, State: c.State,
		SubmittedAt: c.SubmittedAt.UTC().Format(time.RFC3339), DueDate: c.DueDate, EscalatedTo: c.EscalatedTo,
		ResponseDays: c.ResponseDays, OnTime: c.OnTime, Rating: c.Rating}
}

// errNotAVillage refuses a complaint written outside a village.
func errNotAVillage(req *sdk.Request, what string) error {
	return sdk.Errorf(http.StatusUnprocessableEntity, codeNotAVillage,
		"%s at the village the complaint belongs to: /api/v1/t/{village code}/complaints/... (%s is a %s)", what, req.Tenant, req.Level)
}

// submission is a new complaint, from the API (JSON or a multipart form)
// or the public form.
type submission struct {
	// Category is one of categories' codes.
	Category string `json:"category"`
	// Description is what happened, 10 to 2000 characters.
	Description string `json:"description"`
	// Place is where (a street, an RT/RW, a landmark), up to 200 characters.
	Place string `json:"place,omitempty"`
	// Name is the complainant's name, optional (personal).
	Name string `json:"name,omitempty"`
	// Phone is an Indonesian number for the village to call back,
	// optional: without it the complaint is anonymous (personal).
	Phone string `json:"phone,omitempty"`
	// Publish is the complainant's consent to publish the complaint and
	// its answer without name and phone.
	Publish bool `json:"publish,omitempty"`
}

var phoneRE = regexp.MustCompile(`^(?:\+62|62|0)(8[1-9][0-9]{6,11})$`)

// normalPhone turns an Indonesian mobile number into its 08... form, or
// fails: +62 812-3456-7890, 6281234567890 and 0812 3456 7890 are the same.
func normalPhone(s string) (string, bool) {
	s = strings.NewReplacer(" ", "", "-", "", ".", "", "(", "", ")", "").Replace(s)
	m := phoneRE.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return "0" + m[1], true
}

// check validates and tidies a submission; every error is a 422 with its
// own code and the field.
func (s *submission) check() error {
	bad := func(code sdk.Code, field, format string, args ...any) error {
		e := sdk.Errorf(http.StatusUnprocessableEntity, code, format, args...)
		e.Field = field
		return e
	}
	if !slices.Contains(categoryCodes(), s.Category) {
		return bad(codeInvalidCategory, "category", "category must be one of %s", strings.Join(categoryCodes(), ", "))
	}
	s.Description = strings.TrimSpace(s.Description)
	if input.Len(s.Description) < 10 {
		return bad(codeInvalidDescription, "description", "description is required: at least 10 characters saying what happened")
	}
	if err := input.Text(s.Description, 2000); err != nil {
		return bad(codeInvalidDescription, "description", "description %v", err)
	}
	s.Place = strings.TrimSpace(s.Place)
	if err := input.Name(s.Place, 200); err != nil {
		return bad(codeInvalidPlace, "place", "place %v", err)
	}
	s.Name = strings.TrimSpace(s.Name)
	if err := input.Name(s.Name, 100); err != nil {
		return bad(codeInvalidName, "name", "name %v", err)
	}
	if s.Phone = strings.TrimSpace(s.Phone); s.Phone != "" {
		p, ok := normalPhone(s.Phone)
		if !ok {
			return bad(codeInvalidPhone, "phone", "phone must be an Indonesian mobile number such as 0812 3456 7890 or +62 812 3456 7890")
		}
		s.Phone = p
	}
	return nil
}

// photoUpload is a photo sent with a complaint.
type photoUpload struct {
	name string
	data io.Reader
}

// readSubmission reads a complaint from a JSON body or a multipart form
// (fields by their JSON names, the photo as the file field photo).
func readSubmission(r *http.Request) (*submission, *photoUpload, error) {
	var s submission
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		if err := sdk.Bind(r, &s); err != nil {
			return nil, nil, err
		}
		return &s, nil, nil
	}
	if r.ContentLength > maxSubmitBytes {
		return nil, nil, photoTooLarge()
	}
	if err := sdk.ParseMultipartForm(r, maxSubmitBytes); err != nil {
		return nil, nil, sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the multipart form cannot be read: %v", err)
	}
	return fromForm(r.MultipartForm.Value, r, false)
}

// fromForm reads a submission from form values; strict refuses fields it
// does not know (the API), the page lets the CSRF token through.
func fromForm(values map[string][]string, r *http.Request, page bool) (*submission, *photoUpload, error) {
	known := []string{"category", "description", "place", "name", "phone", "publish"}
	for k := range values {
		// A browser sends an empty file field as a value named photo.
		if k == "photo" && len(values[k]) == 1 && values[k][0] == "" {
			continue
		}
		if !slices.Contains(known, k) && !(page && (k == "csrf_token" || k == "confirmed")) {
			e := sdk.Errorf(http.StatusBadRequest, sdk.CodeUnknownField, "unknown field %q", k)
			e.Field = k
			return nil, nil, e
		}
	}
	get := func(k string) string {
		if v := values[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	s := &submission{Category: get("category"), Description: get("description"), Place: get("place"), Name: get("name"), Phone: get("phone")}
	switch strings.ToLower(get("publish")) {
	case "", "false", "0", "off":
	case "true", "1", "on", "yes":
		s.Publish = true
	default:
		e := sdk.Errorf(http.StatusBadRequest, sdk.CodeInvalidField, "publish must be true or false")
		e.Field = "publish"
		return nil, nil, e
	}
	if r.MultipartForm != nil {
		for k, fhs := range r.MultipartForm.File {
			if k != "photo" {
				e := sdk.Errorf(http.StatusBadRequest, sdk.CodeUnknownField, "unknown file field %q: send the photo as photo", k)
				e.Field = k
				return nil, nil, e
			}
			if len(fhs) == 0 || fhs[0].Size == 0 {
				continue
			}
			if fhs[0].Size > maxPhotoBytes {
				return nil, nil, photoTooLarge()
			}
			f, err := fhs[0].Open()
			if err != nil {
				return nil, nil, sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the photo cannot be read")
			}
			return s, &photoUpload{name: fhs[0].Filename, data: f}, nil
		}
	}
	return s, nil, nil
}

// submitComplaint is POST /complaints: a citizen's complaint (public) or
// one a clerk types in at the counter (with a login). 201
// {"id","ref","state","track_code","due_date","target_days","track_path"}.
func submitComplaint(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	if req.Level != sdk.Village {
		return 0, nil, errNotAVillage(req, "complaints are made")
	}
	s, photo, err := readSubmission(r)
	if err != nil {
		return 0, nil, err
	}
	return createComplaint(r, s, photo)
}

// submitted is the answer to a new complaint.
type submitted struct {
	ID         string `json:"id"`
	Ref        string `json:"ref"`
	State      string `json:"state"`
	TrackCode  string `json:"track_code"`
	DueDate    string `json:"due_date"`
	TargetDays int    `json:"target_days"`
	Anonymous  bool   `json:"anonymous"`
	TrackPath  string `json:"track_path"`
	TrackPage  string `json:"track_page"`
}

// createComplaint checks and stores a complaint and its photo, and
// publishes complaints.complaint_received.
func createComplaint(r *http.Request, s *submission, photo *photoUpload) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	if req.Level != sdk.Village {
		return 0, nil, errNotAVillage(req, "complaints are made")
	}
	if err := s.check(); err != nil {
		return 0, nil, err
	}
	set, cal, err := effective(r)
	if err != nil {
		return 0, nil, err
	}
	now := req.Now()
	today := req.Today()
	c := &complaint{
		Category: s.Category, Description: s.Description, Place: s.Place, Name: s.Name, Phone: s.Phone,
		Anonymous: s.Phone == "", Publish: s.Publish, Channel: ChannelOnline, State: StateReceived,
		SubmittedBy: req.User, SubmittedAt: now.UTC(), SubmittedDate: today,
		TargetDays: set.TargetDays, DueDate: cal.dueDate(today, set.TargetDays),
	}
	if req.User != "" && req.Can(permWrite) {
		c.Channel = ChannelOffice
	}
	if photo != nil {
		f, err := req.PutFile(ctx, photo.name, photo.data, sdk.FileRules{Accept: photoTypes, MaxBytes: maxPhotoBytes})
		var se *sdk.Error
		switch {
		case errors.Is(err, sdk.ErrInvalid) && errors.As(err, &se):
			return 0, nil, notAnImage(se.Message)
		case errors.Is(err, sdk.ErrTooLarge):
			return 0, nil, photoTooLarge()
		case err != nil:
			return 0, nil, fmt.Errorf("storing a photo: %w", err)
		}
		c.Photo, c.PhotoType = f.ID, f.ContentType
	}
	for range 3 {
		c.Ref = rand.Text()[:8]
		c.TrackCode = rand.Text()
		b := req.Batch()
		stored := b.Insert("complaints", c)
		b.Audit("complaint.received", c.Ref, map[string]any{"category": c.Category, "channel": c.Channel, "anonymous": c.Anonymous})
		b.Publish(evReceived, payloadOf("", req.Tenant, c))
		err := b.Commit(ctx)
		if errors.Is(err, sdk.ErrDuplicate) {
			continue
		}
		if err != nil {
			if c.Photo != "" {
				_ = req.DeleteFile(ctx, c.Photo)
			}
			return 0, nil, err
		}
		return http.StatusCreated, submitted{
			ID: stored.Record.ID, Ref: c.Ref, State: c.State, TrackCode: c.TrackCode, DueDate: c.DueDate, TargetDays: c.TargetDays,
			Anonymous: c.Anonymous, TrackPath: "/api/v1/t/" + req.Tenant + "/complaints/complaints/track/" + c.TrackCode,
			TrackPage: "/" + req.Tenant + "/complaints/track/" + c.TrackCode,
		}, nil
	}
	return 0, nil, sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "could not give the complaint a unique reference: try again")
}

// tracking is what a tracking code shows anyone holding it: never the
// name or phone, nor who in the office handled it.
type tracking struct {
	Ref          string    `json:"ref"`
	Village      string    `json:"village"`
	Category     string    `json:"category"`
	CategoryName string    `json:"category_name"`
	Description  string    `json:"description"`
	Place        string    `json:"place,omitempty"`
	State        string    `json:"state"`
	SubmittedAt  time.Time `json:"submitted_at"`
	DueDate      string    `json:"due_date"`
	Overdue      bool      `json:"overdue"`
	// EscalatedTo is the level the complaint went up to: district or regency.
	EscalatedTo  string    `json:"escalated_to,omitempty"`
	Assigned     bool      `json:"assigned"`
	Answer       string    `json:"answer,omitempty"`
	AnsweredAt   time.Time `json:"answered_at,omitzero"`
	RejectReason string    `json:"reject_reason,omitempty"`
	Rating       int       `json:"rating,omitempty"`
	// CanRate is true while the answer may be rated.
	CanRate   bool `json:"can_rate"`
	Published bool `json:"published"`
}

func validCode(code string) bool {
	if len(code) < 10 || len(code) > 40 {
		return false
	}
	for _, c := range code {
		if !(c >= 'A' && c <= 'Z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// byCode finds the complaint of a tracking code in the village.
func byCode(r *http.Request) (*sdk.Record, *complaint, error) {
	req := sdk.From(r)
	code := strings.ToUpper(strings.TrimSpace(r.PathValue("code")))
	notFound := sdk.Errorf(http.StatusNotFound, codeComplaintNotFound, "no complaint has this tracking code in %s", req.Tenant)
	if !validCode(code) {
		return nil, nil, notFound
	}
	rec, err := req.Records("complaints").GetBy(r.Context(), "track_code", code)
	if errors.Is(err, sdk.ErrNotFound) {
		return nil, nil, notFound
	}
	if err != nil {
		return nil, nil, err
	}
	c, err := decode(rec)
	return rec, c, err
}

// trackComplaint is GET /complaints/track/{code} (public): 200 tracking,
// 404 complaint_not_found.
func trackComplaint(r *http.Request) (int, any, error) {
	_, c, err := byCode(r)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, trackingOf(sdk.From(r), c), nil
}

func trackingOf(req *sdk.Request, c *complaint) tracking {
	return tracking{
		Ref: c.Ref, Village: req.Tenant, Category: c.Category, CategoryName: categoryName(c.Category), Description: c.Description, Place: c.Place,
		State: c.State, SubmittedAt: c.SubmittedAt, DueDate: c.DueDate, Overdue: c.overdue(req.Today()), EscalatedTo: c.EscalationLevel,
		Assigned: c.AssignedUser != "" || c.AssignedName != "", Answer: c.Answer, AnsweredAt: c.AnsweredAt, RejectReason: c.RejectReason,
		Rating: c.Rating, CanRate: c.Rating == 0 && (c.State == StateAnswered || c.State == StateClosed),
		Published: c.Publish && (c.State == StateAnswered || c.State == StateClosed),
	}
}

// ratingBody rates an answer.
type ratingBody struct {
	// Rating is 1 (very poor) to 5 (very good).
	Rating int `json:"rating" range:"invalid_rating"`
	// Comment is optional, up to 500 characters.
	Comment string `json:"comment,omitempty"`
}

// rateComplaint is POST /complaints/track/{code}/rating (public): the
// citizen rates the answer once. 200 tracking; 404 complaint_not_found,
// 409 invalid_state (not answered yet), 409 already_rated, 422
// invalid_rating.
func rateComplaint(r *http.Request) (int, any, error) {
	var b ratingBody
	if err := sdk.Bind(r, &b); err != nil {
		return 0, nil, err
	}
	return rate(r, b)
}

func rate(r *http.Request, b ratingBody) (int, any, error) {
	req := sdk.From(r)
	if b.Rating < 1 || b.Rating > 5 {
		e := sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidRating, "rating must be a whole number from 1 to 5")
		e.Field = "rating"
		return 0, nil, e
	}
	b.Comment = strings.TrimSpace(b.Comment)
	if err := input.Text(b.Comment, 500); err != nil {
		e := sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidRating, "comment %v", err)
		e.Field = "comment"
		return 0, nil, e
	}
	rec, c, err := byCode(r)
	if err != nil {
		return 0, nil, err
	}
	if c.Rating != 0 {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeAlreadyRated, "this answer was rated already")
	}
	if c.State != StateAnswered && c.State != StateClosed {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeInvalidState, "a complaint is rated once it is answered (it is %s)", c.State)
	}
	c.Rating, c.RatingComment, c.RatedAt = b.Rating, b.Comment, req.Now().UTC()
	batch := req.Batch()
	batch.Update("complaints", rec.ID, rec.Version, map[string]any{"rating": c.Rating, "rating_comment": c.RatingComment, "rated_at": c.RatedAt})
	batch.Audit("complaint.rated", c.Ref, map[string]int{"rating": c.Rating}).Publish(evRated, payloadOf(rec.ID, req.Tenant, c))
	if err := batch.Commit(r.Context()); err != nil {
		if errors.Is(err, sdk.ErrConflict) {
			return 0, nil, sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "the complaint changed meanwhile: try again")
		}
		return 0, nil, err
	}
	return http.StatusOK, trackingOf(req, c), nil
}
