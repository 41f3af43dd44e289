package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// Project states: planned → ongoing (at the first progress report) →
// completed (a report of 100% with a photo of the finished work), or
// cancelled by the village head from planned or ongoing.
const (
	StatePlanned   = "planned"
	StateOngoing   = "ongoing"
	StateCompleted = "completed"
	StateCancelled = "cancelled"
)

var states = []string{StatePlanned, StateOngoing, StateCompleted, StateCancelled}

// maxAmount bounds one amount in rupiah (Rp10 trillion): far above any
// village project, low enough that a regency's sums stay exact.
const maxAmount = 10_000_000_000_000

// Kind is a kind of project, as the village's RKPDes groups them
// (Permendesa PDTT 7/2023 on the priorities of the Dana Desa).
type Kind struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

var kinds = []Kind{
	{"road", "Jalan"},
	{"bridge", "Jembatan"},
	{"irrigation", "Irigasi"},
	{"drainage", "Drainase"},
	{"building", "Bangunan / Gedung"},
	{"clean_water", "Air Bersih"},
	{"sanitation", "Sanitasi"},
	{"health", "Sarana Kesehatan"},
	{"education", "Sarana Pendidikan"},
	{"economy", "Sarana Ekonomi"},
	{"empowerment", "Pemberdayaan Masyarakat"},
	{"other", "Lainnya"},
}

func kindName(code string) (string, bool) {
	for _, k := range kinds {
		if k.Code == code {
			return k.Name, true
		}
	}
	return "", false
}

func listKinds(*http.Request) (int, any, error) {
	return http.StatusOK, sdk.ListOf[Kind]{Items: kinds, Total: int64(len(kinds))}, nil
}

// Source is a funding source of a village project (PP 43/2014 art. 72 and
// Permendagri 20/2018: the village's income by source).
type Source struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// field is the project's record field holding its amount.
	field string
}

var sources = []Source{
	{"dana_desa", "Dana Desa (DD)", "f_dana_desa"},
	{"add", "Alokasi Dana Desa (ADD)", "f_add"},
	{"bankeu_provinsi", "Bantuan Keuangan Provinsi", "f_bankeu_provinsi"},
	{"bankeu_kabupaten", "Bantuan Keuangan Kabupaten/Kota", "f_bankeu_kabupaten"},
	{"pades", "Pendapatan Asli Desa (PADes)", "f_pades"},
	{"swadaya", "Swadaya Masyarakat", "f_swadaya"},
	{"lainnya", "Sumber lain yang sah", "f_lainnya"},
}

func sourceIndex(code string) int {
	return slices.IndexFunc(sources, func(s Source) bool { return s.Code == code })
}

// Funding is one source's amount in whole rupiah.
type Funding struct {
	Source string `json:"source"`
	Name   string `json:"name,omitempty"`
	Amount int64  `json:"amount" range:"invalid_funding"`
}

// Location is where the work is: the dusun, RT and RW, and optionally a
// point (WGS 84 degrees).
type Location struct {
	Dusun string   `json:"dusun,omitempty"`
	RT    string   `json:"rt,omitempty"`
	RW    string   `json:"rw,omitempty"`
	Lat   *float64 `json:"lat,omitempty" range:"invalid_coordinates"`
	Lng   *float64 `json:"lng,omitempty" range:"invalid_coordinates"`
}

// projectInput is the body of POST /projects.
type projectInput struct {
	Name          string    `json:"name"`
	Kind          string    `json:"kind"`
	Description   string    `json:"description"`
	Location      Location  `json:"location"`
	Year          int       `json:"year" range:"invalid_year"`
	Funding       []Funding `json:"funding"`
	Executor      string    `json:"executor"`
	ExecutorLead  string    `json:"executor_lead"`
	PlannedStart  string    `json:"planned_start"`
	PlannedEnd    string    `json:"planned_end"`
	Volume        *float64  `json:"volume" range:"invalid_volume"`
	Unit          string    `json:"unit"`
	Beneficiaries *int64    `json:"beneficiaries" range:"invalid_beneficiaries"`
}

// Project is a project as stored.
type Project struct {
	Ref              string     `json:"ref"`
	Name             string     `json:"name"`
	Kind             string     `json:"kind"`
	Description      string     `json:"description,omitempty"`
	Dusun            string     `json:"dusun,omitempty"`
	RT               string     `json:"rt,omitempty"`
	RW               string     `json:"rw,omitempty"`
	Lat              *float64   `json:"lat,omitempty"`
	Lng              *float64   `json:"lng,omitempty"`
	Year             int        `json:"year"`
	FDanaDesa        int64      `json:"f_dana_desa"`
	FADD             int64      `json:"f_add"`
	FBankeuProvinsi  int64      `json:"f_bankeu_provinsi"`
	FBankeuKabupaten int64      `json:"f_bankeu_kabupaten"`
	FPADes           int64      `json:"f_pades"`
	FSwadaya         int64      `json:"f_swadaya"`
	FLainnya         int64      `json:"f_lainnya"`
	Budget           int64      `json:"budget"`
	Executor         string     `json:"executor,omitempty"`
	ExecutorLead     string     `json:"executor_lead,omitempty"`
	PlannedStart     string     `json:"planned_start"`
	PlannedEnd       string     `json:"planned_end"`
	Volume           *float64   `json:"volume,omitempty"`
	Unit             string     `json:"unit,omitempty"`
	Beneficiaries    *int64     `json:"beneficiaries,omitempty"`
	State            string     `json:"state"`
	Percent          float64    `json:"percent"`
	Spent            int64      `json:"spent"`
	OverBudget       bool       `json:"over_budget"`
	LastReport       string     `json:"last_report,omitempty"`
	Photos           []Photo    `json:"photos,omitempty"`
	StartedAt        *time.Time `json:"started_at,omitempty"`
	CompletedAt      *time.Time `json:"completed_at,omitempty"`
	CancelledAt      *time.Time `json:"cancelled_at,omitempty"`
	CancelReason     string     `json:"cancel_reason,omitempty"`
}

// amounts are the project's amounts in the order of sources.
func (p *Project) amounts() []*int64 {
	return []*int64{&p.FDanaDesa, &p.FADD, &p.FBankeuProvinsi, &p.FBankeuKabupaten, &p.FPADes, &p.FSwadaya, &p.FLainnya}
}

// Photo is a photo of the work, taken with a progress report.
type Photo struct {
	ID          string  `json:"id"`
	Thumb       string  `json:"thumb,omitempty"`
	ContentType string  `json:"content_type"`
	Size        int64   `json:"size"`
	SHA256      string  `json:"sha256"`
	Date        string  `json:"date"`
	Percent     float64 `json:"percent"`
}

func isDigits(s string, minLen, maxLen int) bool {
	if len(s) < minLen || len(s) > maxLen {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func cleanName(field string, code sdk.Code, s string, max int, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if required && s == "" {
		return "", invalid(code, field, "%s is required", field)
	}
	if err := input.Name(s, max); err != nil {
		return "", invalid(code, field, "%s %v", field, err)
	}
	return s, nil
}

func cleanText(field string, code sdk.Code, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if err := input.Text(s, max); err != nil {
		return "", invalid(code, field, "%s %v", field, err)
	}
	return s, nil
}

func parseDate(field, s string, loc *time.Location) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), loc)
	if err != nil {
		return time.Time{}, invalid(codeInvalidDate, field, "%s must be a date YYYY-MM-DD", field)
	}
	return d, nil
}

// check validates in and returns the project to store, in state planned.
func (in projectInput) check(req *sdk.Request) (Project, error) {
	var p Project
	var err error
	if p.Name, err = cleanName("name", codeInvalidName, in.Name, 160, true); err != nil {
		return p, err
	}
	if _, ok := kindName(in.Kind); !ok {
		return p, invalid(codeInvalidKind, "kind", "kind must be one of %s", kindCodes())
	}
	p.Kind = in.Kind
	if p.Description, err = cleanText("description", codeInvalidDescription, in.Description, 2000); err != nil {
		return p, err
	}
	if p.Dusun, err = cleanName("location.dusun", codeInvalidLocation, in.Location.Dusun, 60, false); err != nil {
		return p, err
	}
	for _, f := range []struct {
		name string
		v    *string
		in   string
	}{{"location.rt", &p.RT, in.Location.RT}, {"location.rw", &p.RW, in.Location.RW}} {
		s := strings.TrimSpace(f.in)
		if s != "" && !isDigits(s, 1, 3) {
			return p, invalid(codeInvalidLocation, f.name, "%s must be 1 to 3 digits", f.name)
		}
		*f.v = s
	}
	lat, lng := in.Location.Lat, in.Location.Lng
	switch {
	case (lat == nil) != (lng == nil):
		return p, invalid(codeInvalidCoordinates, "location.lat", "give both location.lat and location.lng, or neither")
	case lat != nil && (*lat < -11 || *lat > 6 || *lng < 95 || *lng > 141.5 || math.IsNaN(*lat) || math.IsNaN(*lng)):
		return p, invalid(codeInvalidCoordinates, "location.lat", "the point must be in Indonesia: lat -11 to 6, lng 95 to 141.5")
	}
	p.Lat, p.Lng = lat, lng
	thisYear := req.Now().Year()
	if in.Year < 2000 || in.Year > thisYear+1 {
		return p, invalid(codeInvalidYear, "year", "year must be from 2000 to %d", thisYear+1)
	}
	p.Year = in.Year
	if len(in.Funding) == 0 {
		return p, invalid(codeInvalidFunding, "funding", "funding needs at least one source with its amount; sources: %s", sourceCodes())
	}
	amounts := p.amounts()
	seen := map[string]bool{}
	for _, f := range in.Funding {
		i := sourceIndex(f.Source)
		switch {
		case i < 0:
			return p, invalid(codeInvalidFunding, "funding", "funding source %q is not one of %s", f.Source, sourceCodes())
		case seen[f.Source]:
			return p, invalid(codeInvalidFunding, "funding", "funding source %s is given twice", f.Source)
		case f.Amount < 1 || f.Amount > maxAmount:
			return p, invalid(codeInvalidFunding, "funding", "the amount of %s must be whole rupiah from 1 to %d", f.Source, int64(maxAmount))
		}
		seen[f.Source] = true
		*amounts[i] = f.Amount
		p.Budget += f.Amount
	}
	if p.Budget > maxAmount {
		return p, invalid(codeInvalidFunding, "funding", "the budget is at most %d rupiah", int64(maxAmount))
	}
	if p.Executor, err = cleanName("executor", codeInvalidExecutor, in.Executor, 120, false); err != nil {
		return p, err
	}
	if p.ExecutorLead, err = cleanName("executor_lead", codeInvalidExecutor, in.ExecutorLead, 120, false); err != nil {
		return p, err
	}
	start, err := parseDate("planned_start", in.PlannedStart, req.Location())
	if err != nil {
		return p, err
	}
	end, err := parseDate("planned_end", in.PlannedEnd, req.Location())
	if err != nil {
		return p, err
	}
	if end.Before(start) {
		return p, invalid(codeEndBeforeStart, "planned_end", "planned_end %s is before planned_start %s", in.PlannedEnd, in.PlannedStart)
	}
	p.PlannedStart, p.PlannedEnd = start.Format(time.DateOnly), end.Format(time.DateOnly)
	unit := strings.TrimSpace(in.Unit)
	switch {
	case in.Volume != nil && (*in.Volume <= 0 || *in.Volume > 1e9 || math.IsNaN(*in.Volume)):
		return p, invalid(codeInvalidVolume, "volume", "volume must be above 0")
	case in.Volume != nil && unit == "":
		return p, invalid(codeInvalidVolume, "unit", "a volume needs its unit (m, m2, unit, ...)")
	case in.Volume == nil && unit != "":
		return p, invalid(codeInvalidVolume, "volume", "a unit needs its volume")
	}
	if p.Unit, err = cleanName("unit", codeInvalidVolume, unit, 20, false); err != nil {
		return p, err
	}
	p.Volume = in.Volume
	if b := in.Beneficiaries; b != nil && (*b < 0 || *b > 10_000_000) {
		return p, invalid(codeInvalidBeneficiaries, "beneficiaries", "beneficiaries must be from 0 to 10000000")
	}
	p.Beneficiaries = in.Beneficiaries
	p.State = StatePlanned
	return p, nil
}

func kindCodes() string {
	codes := make([]string, len(kinds))
	for i, k := range kinds {
		codes[i] = k.Code
	}
	return strings.Join(codes, ", ")
}

func sourceCodes() string {
	codes := make([]string, len(sources))
	for i, s := range sources {
		codes[i] = s.Code
	}
	return strings.Join(codes, ", ")
}

// eventPayload is what the plugin's events carry: no personal data.
type eventPayload struct {
	// ProjectID is the project's id; empty in project_created, which is
	// written with the project, before the host assigns it: Ref names
	// the project in every event and in the API's answers.
	ProjectID string  `json:"project_id,omitempty"`
	Ref       string  `json:"ref"`
	Village   string  `json:"village"`
	Name      string  `json:"name"`
	Kind      string  `json:"kind"`
	Year      int     `json:"year"`
	State     string  `json:"state"`
	Budget    int64   `json:"budget"`
	Percent   float64 `json:"percent"`
	Spent     int64   `json:"spent"`
}

func payload(village, id string, p Project) eventPayload {
	return eventPayload{ProjectID: id, Ref: p.Ref, Village: village, Name: p.Name, Kind: p.Kind, Year: p.Year, State: p.State, Budget: p.Budget, Percent: p.Percent, Spent: p.Spent}
}

// createProject registers a project (POST /projects), in state planned.
func createProject(r *http.Request) (int, any, error) {
	var in projectInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	return insertProject(r, in)
}

func insertProject(r *http.Request, in projectInput) (int, any, error) {
	req := sdk.From(r)
	p, err := in.check(req)
	if err != nil {
		return 0, nil, err
	}
	p.Ref = newRef()
	b := req.Batch()
	w := b.Insert("projects", p)
	b.Publish(eventCreated, payload(req.Tenant, "", p))
	if err := b.Commit(r.Context()); err != nil {
		return 0, nil, err
	}
	rec := w.Record
	pl, err := loadPlaces(r)
	if err != nil {
		return 0, nil, err
	}
	v, err := newProjectView(r, &rec, pl)
	return http.StatusCreated, v, err
}

// Village names a project's village.
type Village struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// PhotoView is a photo as the API shows it, with its URLs.
type PhotoView struct {
	ID       string  `json:"id"`
	URL      string  `json:"url"`
	ThumbURL string  `json:"thumb_url"`
	Date     string  `json:"date"`
	Percent  float64 `json:"percent"`
}

// ProjectView is a project as the API answers it. Money is whole rupiah;
// percents are of the physical work (percent), of the budget spent
// (absorption), and what the straight line from planned start to
// planned end expects today (expected_percent).
type ProjectView struct {
	ID              string      `json:"id"`
	Ref             string      `json:"ref"`
	Village         Village     `json:"village"`
	Name            string      `json:"name"`
	Kind            string      `json:"kind"`
	KindName        string      `json:"kind_name"`
	Description     string      `json:"description,omitempty"`
	Location        Location    `json:"location"`
	Year            int         `json:"year"`
	Funding         []Funding   `json:"funding"`
	Budget          int64       `json:"budget"`
	Executor        string      `json:"executor,omitempty"`
	ExecutorLead    string      `json:"executor_lead,omitempty"`
	PlannedStart    string      `json:"planned_start"`
	PlannedEnd      string      `json:"planned_end"`
	Volume          *float64    `json:"volume,omitempty"`
	Unit            string      `json:"unit,omitempty"`
	Beneficiaries   *int64      `json:"beneficiaries,omitempty"`
	State           string      `json:"state"`
	Percent         float64     `json:"percent"`
	Spent           int64       `json:"spent"`
	Absorption      float64     `json:"absorption"`
	ExpectedPercent float64     `json:"expected_percent"`
	BehindSchedule  bool        `json:"behind_schedule"`
	OverBudget      bool        `json:"over_budget"`
	LastReport      string      `json:"last_report,omitempty"`
	Photos          []PhotoView `json:"photos"`
	CreatedAt       time.Time   `json:"created_at"`
	StartedAt       *time.Time  `json:"started_at,omitempty"`
	CompletedAt     *time.Time  `json:"completed_at,omitempty"`
	CancelledAt     *time.Time  `json:"cancelled_at,omitempty"`
	CancelReason    string      `json:"cancel_reason,omitempty"`
	// Reports is the project's progress, oldest first: only on GET
	// /projects/{id}.
	Reports []ReportView `json:"reports,omitempty"`
}

func projectURL(tenant, id string) string {
	return "/api/v1/t/" + tenant + "/" + pluginID + "/projects/" + id
}

func photoView(tenant, projectID string, ph Photo) PhotoView {
	u := projectURL(tenant, projectID) + "/photos/" + ph.ID
	return PhotoView{ID: ph.ID, URL: u, ThumbURL: u + "/thumb", Date: ph.Date, Percent: ph.Percent}
}

// expected is the physical percent the straight line from start to end
// expects at the start of today (all YYYY-MM-DD): the days of the plan
// gone by before today over all its days, 0 up to the first day, 100
// once the last day is over; rounded to one decimal. A project is not
// late on the day it is due: the day's work may still be done.
func expected(start, end, today string) float64 {
	s, err1 := time.Parse(time.DateOnly, start)
	e, err2 := time.Parse(time.DateOnly, end)
	t, err3 := time.Parse(time.DateOnly, today)
	if err1 != nil || err2 != nil || err3 != nil || !t.After(s) {
		return 0
	}
	if t.After(e) {
		return 100
	}
	done := t.Sub(s).Hours() / 24
	total := e.Sub(s).Hours()/24 + 1
	return math.Round(done/total*1000) / 10
}

// behind says whether a project in state is behind the straight line:
// planned or ongoing, with its physical percent below what is expected.
func behind(state string, percent, expect float64) bool {
	return (state == StatePlanned || state == StateOngoing) && percent < expect
}

func absorption(spent, budget int64) float64 {
	if budget <= 0 {
		return 0
	}
	return math.Round(float64(spent)/float64(budget)*1000) / 10
}

func newProjectView(r *http.Request, rec *sdk.Record, pl *places) (ProjectView, error) {
	req := sdk.From(r)
	var p Project
	if err := rec.Decode(&p); err != nil {
		return ProjectView{}, err
	}
	kn, _ := kindName(p.Kind)
	v := ProjectView{
		ID: rec.ID, Ref: p.Ref, Village: pl.village(rec.Tenant), Name: p.Name, Kind: p.Kind, KindName: kn, Description: p.Description,
		Location: Location{Dusun: p.Dusun, RT: p.RT, RW: p.RW, Lat: p.Lat, Lng: p.Lng}, Year: p.Year, Budget: p.Budget,
		Executor: p.Executor, PlannedStart: p.PlannedStart, PlannedEnd: p.PlannedEnd, Volume: p.Volume, Unit: p.Unit,
		Beneficiaries: p.Beneficiaries, State: p.State, Percent: p.Percent, Spent: p.Spent, Absorption: absorption(p.Spent, p.Budget),
		OverBudget: p.OverBudget, LastReport: p.LastReport, CreatedAt: rec.CreatedAt, StartedAt: p.StartedAt,
		CompletedAt: p.CompletedAt, CancelledAt: p.CancelledAt, CancelReason: p.CancelReason, Photos: []PhotoView{}, Funding: []Funding{},
	}
	// The chair's name only to those who may see it: the host masks it
	// for others, and the plugin leaves even the mask out.
	if req.Can(permPersonal) {
		v.ExecutorLead = p.ExecutorLead
	}
	for i, a := range p.amounts() {
		if *a > 0 {
			v.Funding = append(v.Funding, Funding{Source: sources[i].Code, Name: sources[i].Name, Amount: *a})
		}
	}
	v.ExpectedPercent = expected(p.PlannedStart, p.PlannedEnd, req.Today())
	v.BehindSchedule = behind(p.State, p.Percent, v.ExpectedPercent)
	for _, ph := range p.Photos {
		v.Photos = append(v.Photos, photoView(rec.Tenant, rec.ID, ph))
	}
	return v, nil
}

// getProject answers a project with its progress reports (GET
// /projects/{id}, public). At a district or regency, a project of a
// village below it.
func getProject(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	rec, err := findProject(r, r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	pl, err := loadPlaces(r)
	if err != nil {
		return 0, nil, err
	}
	v, err := newProjectView(r, rec, pl)
	if err != nil {
		return 0, nil, err
	}
	q := req.Records("reports").Query().Where("project_id", sdk.Eq, rec.ID).OrderBy("date", false).OrderBy(sdk.FieldCreatedAt, false).Page(0, 500)
	if req.Level != sdk.Village {
		q = q.Subtree().Where(sdk.FieldTenant, sdk.Eq, rec.Tenant)
	}
	reps, _, err := q.Run(r.Context())
	if err != nil {
		return 0, nil, err
	}
	v.Reports = []ReportView{}
	for i := range reps {
		rv, err := newReportView(r, &reps[i], rec.Tenant, rec.ID)
		if err != nil {
			return 0, nil, err
		}
		v.Reports = append(v.Reports, rv)
	}
	return http.StatusOK, v, nil
}

// findProject reads the project id in the tenant, or in a village below
// a district or regency.
func findProject(r *http.Request, id string) (*sdk.Record, error) {
	req := sdk.From(r)
	notFound := sdk.Errorf(http.StatusNotFound, codeProjectNotFound, "no project %s in %s", id, req.Tenant)
	if req.Level == sdk.Village {
		rec, err := req.Records("projects").Get(r.Context(), id)
		if errors.Is(err, sdk.ErrNotFound) {
			return nil, notFound
		}
		return rec, err
	}
	recs, _, err := req.Records("projects").Query().Subtree().Where(sdk.FieldID, sdk.Eq, id).Page(0, 1).Run(r.Context())
	if err != nil {
		if errors.Is(err, sdk.ErrInvalid) || errors.Is(err, sdk.ErrNotFound) {
			return nil, notFound
		}
		return nil, err
	}
	if len(recs) == 0 {
		return nil, notFound
	}
	return &recs[0], nil
}

// listProjects lists projects (GET /projects, public): a village's, or at
// a district or regency those of every village below where the module is
// on. Filters: ?year=, ?state=, ?kind=, ?village= (a village below),
// ?behind=true (behind schedule today); newest first.
func listProjects(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	offset, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	pl, err := loadPlaces(r)
	if err != nil {
		return 0, nil, err
	}
	qs := r.URL.Query()
	subtree, filters, err := pl.scope(r)
	if err != nil {
		return 0, nil, err
	}
	if y := qs.Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidYear, "year must be a year such as %d", req.Now().Year())
		}
		filters = append(filters, sdk.Filter{Field: "year", Op: sdk.Eq, Value: n})
	}
	if s := qs.Get("state"); s != "" {
		if !slices.Contains(states, s) {
			return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidFilter, "state must be one of %s", strings.Join(states, ", "))
		}
		filters = append(filters, sdk.Filter{Field: "state", Op: sdk.Eq, Value: s})
	}
	if k := qs.Get("kind"); k != "" {
		if _, ok := kindName(k); !ok {
			return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidKind, "kind must be one of %s", kindCodes())
		}
		filters = append(filters, sdk.Filter{Field: "kind", Op: sdk.Eq, Value: k})
	}
	out := sdk.ListOf[ProjectView]{Items: []ProjectView{}}
	var recs []sdk.Record
	switch b := qs.Get("behind"); b {
	case "", "false":
		recs, out.Total, err = query(req, subtree, filters).OrderBy("year", true).OrderBy(sdk.FieldCreatedAt, true).Page(offset, limit).WithTotal().Run(r.Context())
	case "true":
		// Behind schedule depends on today: judged here on the
		// aggregated dates and percents, then the page's records read.
		var groups []lateGroup
		if groups, err = lateGroups(r, subtree, filters); err == nil {
			recs, out.Total, err = lateRecords(r, subtree, filters, groups, offset, limit)
		}
	default:
		return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidFilter, "behind must be true or false")
	}
	if err != nil {
		return 0, nil, err
	}
	for i := range recs {
		v, err := newProjectView(r, &recs[i], pl)
		if err != nil {
			return 0, nil, err
		}
		out.Items = append(out.Items, v)
	}
	return http.StatusOK, out, nil
}

// newRef is a project's reference: 16 random bytes in hex.
func newRef() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
