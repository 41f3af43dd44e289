package main

// The module's console screens, written with sdk/ui. Every screen goes
// through the API handlers (listComplaints, getComplaint, assign, respond,
// reject, escalate, closeComplaint, stats, putSettings), called with the
// page's request: the rules, the host's checks, masking and audit are the
// API's.
//
// Console pages, below /console/{tenant}/m/complaints:
//
//	GET  /complaints               the list: filters (state, category, overdue, escalated), overdue flagged; menu "Pengaduan"
//	GET  /complaints/new           a complaint taken at the counter (with photo); POST stores it
//	GET  /complaints/{id}          the complaint, its photo link, and the actions its state allows
//	POST /complaints/{id}/{action} assign, respond, reject, escalate, close
//	GET  /recap                    one row per village below: counts, overdue, median response, on time, rating
//	GET  /settings                 the regency's response target and holidays; POST saves them
//	GET  /widget                   dashboard widget: open and overdue complaints

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

var consolePages = []sdk.PageRoute{
	{Method: "GET", Path: "/complaints", Permission: permRead, Handler: http.HandlerFunc(pageList),
		Menu: &sdk.MenuEntry{Label: "Pengaduan", LabelEN: "Complaints", Icon: "chat", Order: 110}},
	{Method: "GET", Path: "/complaints/new", Permission: permWrite, Handler: http.HandlerFunc(pageNew)},
	{Method: "POST", Path: "/complaints/new", Permission: permWrite, MaxBodyBytes: maxSubmitBytes, Handler: http.HandlerFunc(pageNew)},
	{Method: "GET", Path: "/complaints/{id}", Permission: permRead, Handler: http.HandlerFunc(pageComplaint)},
	// The photo, streamed as the API does, for the console's session.
	{Method: "GET", Path: "/complaints/{id}/photo", Permission: permRead, Handler: http.HandlerFunc(servePhoto)},
	{Method: "POST", Path: "/complaints/{id}/{action}", Permission: permWrite, Handler: http.HandlerFunc(pageAction)},
	{Method: "GET", Path: "/recap", Permission: permRead, Handler: http.HandlerFunc(pageRecap),
		Menu: &sdk.MenuEntry{Label: "Rekap Pengaduan", LabelEN: "Complaints recap", Icon: "chart", Order: 111}},
	{Method: "GET", Path: "/settings", Permission: permRead, Handler: http.HandlerFunc(pageSettings),
		Menu: &sdk.MenuEntry{Label: "Target Pengaduan", LabelEN: "Complaints target", Icon: "settings", Order: 112}},
	{Method: "POST", Path: "/settings", Permission: permSettings, Handler: http.HandlerFunc(pageSettings)},
	{Method: "GET", Path: "/widget", Permission: permRead, Widget: true, Handler: http.HandlerFunc(widget)},
}

var listColumns = []ui.Column{
	{Key: "ref", Label: "No."},
	{Key: "submitted_at", Label: "Masuk", Sortable: true},
	{Key: "category", Label: "Kategori"},
	{Key: "description", Label: "Uraian"},
	{Key: "state", Label: "Status"},
	{Key: "due_date", Label: "Tenggat", Sortable: true},
}

func short(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// pageList is the list of complaints: at a village its own, at a district
// or regency those of the villages below, each linked to its village's
// page where the actions are.
func pageList(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	q := r.URL.Query()
	query := url.Values{}
	for _, k := range []string{"state", "category", "overdue", "escalated", "page", "limit", "ref"} {
		if v := q.Get(k); v != "" {
			query.Set(k, v)
		}
	}
	sort := ui.SortParam(r, listColumns, "-submitted_at")
	query.Set("sort", sort)
	_, body, err := ui.CallAPI(r, listComplaints, "GET", query, nil)
	if err != nil {
		fail(w, r, err)
		return
	}
	list := body.(sdk.ListOf[complaintView])
	cols := listColumns
	subtree := req.Level != sdk.Village
	if subtree {
		cols = append([]ui.Column{{Key: "village", Label: ui.Tr(r, "Desa", "Village")}}, listColumns...)
	}
	rows := make([]ui.Row, 0, len(list.Items))
	for _, c := range list.Items {
		state := []ui.Node{stateBadge(r, c.State)}
		if c.Overdue {
			state = append(state, overdueBadge(r))
		}
		if c.EscalatedTo != "" {
			state = append(state, ui.Badge("info", ui.Tr(r, "Diteruskan ke ", "Escalated to ")+levelLabel(r, c.EscalationLevel)))
		}
		cells := []ui.Node{ui.Cell(c.Ref), ui.Cell(ui.DateTime(r, c.SubmittedAt)), ui.Cell(catLabel(r, c.Category)),
			ui.Cell(short(c.Description, 80)), nodes(state...), ui.Cell(ui.DateOnly(c.DueDate))}
		href := "/complaints/" + c.ID
		if subtree {
			// The complaint is acted on at its village (the grant of a
			// district or regency official holds there).
			cells = append([]ui.Node{ui.Cell(c.Village)}, cells...)
			href = "../../../" + c.Tenant + "/m/complaints/complaints/" + c.ID
		}
		rows = append(rows, ui.Row{Cells: cells, Href: href})
	}
	page, _ := strconv.Atoi(q.Get("page"))
	limit, _ := strconv.Atoi(q.Get("limit"))
	if page < 1 {
		page = 1
	}
	if limit < 1 {
		limit = 50
	}
	filters := []ui.Field{
		{Name: "state", Label: "Status", Type: "select", Options: []ui.Option{{Value: "", Label: ui.Tr(r, "Semua", "All")},
			{Value: "open", Label: ui.Tr(r, "Belum dijawab", "Open")}, {Value: StateReceived, Label: stateLabel(r, StateReceived)},
			{Value: StateInProgress, Label: stateLabel(r, StateInProgress)}, {Value: StateAnswered, Label: stateLabel(r, StateAnswered)},
			{Value: StateClosed, Label: stateLabel(r, StateClosed)}, {Value: StateRejected, Label: stateLabel(r, StateRejected)}}},
		{Name: "category", Label: ui.Tr(r, "Kategori", "Category"), Type: "select", Options: categoryOptions(r, ui.Tr(r, "Semua", "All"))},
		{Name: "overdue", Label: ui.Tr(r, "Hanya yang lewat tenggat", "Overdue only"), Type: "checkbox"},
	}
	if subtree {
		filters = append(filters, ui.Field{Name: "escalated", Label: ui.Tr(r, "Diteruskan", "Escalated"), Type: "select",
			Options: []ui.Option{{Value: "", Label: ui.Tr(r, "Semua", "All")}, {Value: "here", Label: ui.Tr(r, "Diteruskan ke sini", "Escalated here")}, {Value: "any", Label: ui.Tr(r, "Semua yang diteruskan", "Any escalated")}}})
	}
	var actions []ui.Link
	if req.Level == sdk.Village && req.Can(permWrite) {
		actions = append(actions, ui.Link{Label: ui.Tr(r, "Catat pengaduan", "Record a complaint"), Href: "/complaints/new", Primary: true})
	}
	intro := ui.Tr(r, "Pengaduan dan aspirasi warga. Yang lewat tenggat ditandai merah.", "Citizens' complaints and aspirations. Overdue ones are marked red.")
	if subtree {
		intro = ui.Tr(r, "Pengaduan desa-desa di wilayah ini. Yang diteruskan ke sini ditangani oleh petugas di sini, di halaman desanya.",
			"Complaints of the villages below. Those escalated here are handled by officials here, on the village's page.")
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Pengaduan", "Complaints"), Actions: actions, Body: []ui.Node{
		ui.Muted(intro),
		ui.Table{Columns: cols, Rows: rows, Total: int(list.Total), Page: page, Limit: limit, Sort: sort, Filters: filters,
			Empty: ui.Tr(r, "Belum ada pengaduan.", "No complaints yet."), Caption: ui.Tr(r, "Daftar pengaduan", "Complaints")},
	}})
}

// submissionForm is the complaint form of the counter and of the public page.
func submissionForm(r *http.Request, action string, values url.Values, errs map[string]string, msg string, public bool) ui.Form {
	fields := []ui.Field{
		{Name: "category", Label: ui.Tr(r, "Kategori", "Category"), Type: "select", Required: true, Options: categoryOptions(r, ui.Tr(r, "Pilih kategori", "Choose a category"))},
		{Name: "description", Label: ui.Tr(r, "Uraian pengaduan", "What happened"), Type: "textarea", Required: true, Max: 2000,
			Help: ui.Tr(r, "Ceritakan apa yang terjadi, sejak kapan, dan siapa yang terdampak.", "Say what happened, since when and who is affected.")},
		{Name: "place", Label: ui.Tr(r, "Lokasi", "Place"), Max: 200, Placeholder: "RT 03 / RW 01, depan SD 012"},
		{Name: "photo", Label: ui.Tr(r, "Foto (tidak wajib)", "Photo (optional)"), Type: "file", Accept: "image/jpeg,image/png,image/webp",
			Help: ui.Tr(r, "JPEG, PNG atau WebP, paling besar 5 MB. Foto hanya dilihat petugas.", "JPEG, PNG or WebP, at most 5 MB. Only the office sees it.")},
		{Name: "name", Label: ui.Tr(r, "Nama (tidak wajib)", "Name (optional)"), Max: 100},
		{Name: "phone", Label: ui.Tr(r, "Nomor HP (tidak wajib)", "Mobile number (optional)"), Type: "tel", Max: 20, Placeholder: "0812 3456 7890",
			Help: ui.Tr(r, "Agar petugas dapat menghubungi Anda. Tanpa nomor HP, pengaduan Anda anonim.", "So that the office can call you back. Without it your complaint is anonymous.")},
		{Name: "publish", Label: ui.Tr(r, "Saya setuju pengaduan dan jawabannya diumumkan tanpa nama dan nomor HP saya", "I agree that the complaint and its answer are published, without my name and number"), Type: "checkbox"},
	}
	submit := ui.Tr(r, "Simpan pengaduan", "Save complaint")
	if public {
		submit = ui.Tr(r, "Kirim pengaduan", "Send complaint")
	}
	return ui.Form{Action: action, Submit: submit, Fields: fields, Values: values, Errors: errs, Error: msg, Multipart: true}
}

// readPageSubmission reads the complaint form of a page.
func readPageSubmission(r *http.Request) (*submission, *photoUpload, url.Values, error) {
	values, err := ui.FormValues(r, maxSubmitBytes)
	if err != nil {
		return nil, nil, nil, err
	}
	s, photo, err := fromForm(values, r, true)
	return s, photo, values, err
}

// postComplaint is the POST of a complaint form (the counter's and the
// citizens'): the form goes through createComplaint and, once stored, to
// done, which answers (a redirect). A client's error comes back for the
// form with the values sent; anything else fails the page. answered is
// true when the page has been answered.
func postComplaint(w http.ResponseWriter, r *http.Request, done func(submitted)) (values url.Values, errs map[string]string, msg string, status int, answered bool) {
	s, photo, values, err := readPageSubmission(r)
	var body any
	if err == nil {
		_, body, err = createComplaint(r, s, photo)
	}
	if err == nil {
		done(body.(submitted))
		return nil, nil, "", 0, true
	}
	errs, msg, status, ok := pageErrors.Client(r, err)
	if !ok {
		fail(w, r, err)
		return nil, nil, "", 0, true
	}
	return values, errs, msg, status, false
}

// pageNew records a complaint at the counter (a citizen who comes to the
// office or calls).
func pageNew(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	if req.Level != sdk.Village {
		fail(w, r, errNotAVillage(req, "complaints are recorded"))
		return
	}
	var values url.Values
	status, errs, msg := http.StatusOK, map[string]string(nil), ""
	if r.Method == http.MethodPost {
		var answered bool
		if values, errs, msg, status, answered = postComplaint(w, r, func(out submitted) {
			ui.Redirect(w, r, "/complaints/"+out.ID, "success", ui.Tr(r, "Pengaduan dicatat. Kode pelacakan untuk warga: ", "Complaint recorded. Tracking code for the citizen: ")+out.TrackCode)
		}); answered {
			return
		}
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Catat pengaduan", "Record a complaint"), Status: status, Body: []ui.Node{
		ui.Muted(ui.Tr(r, "Untuk warga yang datang ke kantor desa atau menelepon. Berikan kode pelacakan kepada warga.", "For citizens who come to the office or call. Give them the tracking code.")),
		submissionForm(r, "/complaints/new", values, errs, msg, false),
	}})
}

// pageComplaint shows a complaint and the actions its state allows to the
// caller.
func pageComplaint(w http.ResponseWriter, r *http.Request) {
	renderComplaint(w, r, http.StatusOK, "", nil, "", nil)
}

func renderComplaint(w http.ResponseWriter, r *http.Request, status int, form string, values url.Values, msg string, errs map[string]string) {
	req := sdk.From(r)
	id := r.PathValue("id")
	_, body, err := ui.CallAPI(r, getComplaint, "GET", nil, nil, "id", id)
	if err != nil {
		fail(w, r, err)
		return
	}
	c := body.(complaintView)
	head := []ui.Node{stateBadge(r, c.State)}
	if c.Overdue {
		head = append(head, overdueBadge(r))
	}
	pairs := [][2]string{
		{ui.Tr(r, "Nomor", "Reference"), c.Ref},
		{ui.Tr(r, "Kategori", "Category"), catLabel(r, c.Category)},
		{ui.Tr(r, "Masuk", "Received"), ui.DateTime(r, c.SubmittedAt)},
		{ui.Tr(r, "Tenggat", "Due"), fmt.Sprintf("%s (%d %s)", ui.DateOnly(c.DueDate), c.TargetDays, ui.Tr(r, "hari kerja", "working days"))},
		{ui.Tr(r, "Lokasi", "Place"), c.Place},
		{ui.Tr(r, "Pelapor", "Complainant"), complainant(r, &c)},
		{ui.Tr(r, "Saluran", "Channel"), map[string]string{ChannelOnline: ui.Tr(r, "Daring (warga)", "Online (citizen)"), ChannelOffice: ui.Tr(r, "Kantor", "Office")}[c.Channel]},
		{ui.Tr(r, "Boleh diumumkan", "May be published"), map[bool]string{true: ui.Tr(r, "Ya, tanpa nama dan nomor HP", "Yes, without name and number"), false: ui.Tr(r, "Tidak", "No")}[c.Publish]},
	}
	if c.AssignedUser != "" || c.AssignedName != "" {
		pairs = append(pairs, [2]string{ui.Tr(r, "Petugas", "Assigned to"), strings.TrimSpace(c.AssignedName + " " + c.AssignedUser)})
	}
	if c.EscalatedTo != "" {
		pairs = append(pairs, [2]string{ui.Tr(r, "Diteruskan ke", "Escalated to"), levelLabel(r, c.EscalationLevel) + " " + c.EscalatedTo + ": " + c.EscalationReason})
	}
	if c.Answer != "" {
		pairs = append(pairs, [2]string{ui.Tr(r, "Jawaban", "Answer"), c.Answer}, [2]string{ui.Tr(r, "Dijawab", "Answered"), ui.DateTime(r, c.AnsweredAt) + " (" + levelLabel(r, c.AnsweredLevel) + ")"})
	}
	if c.ResponseDays != nil {
		onTime := ui.Tr(r, "tepat waktu", "on time")
		if c.OnTime != nil && !*c.OnTime {
			onTime = ui.Tr(r, "terlambat", "late")
		}
		pairs = append(pairs, [2]string{ui.Tr(r, "Waktu tanggapan", "Response time"), fmt.Sprintf("%d %s, %s", *c.ResponseDays, ui.Tr(r, "hari kerja", "working days"), onTime)})
	}
	if c.RejectReason != "" {
		pairs = append(pairs, [2]string{ui.Tr(r, "Alasan penolakan", "Reason for rejection"), c.RejectReason})
	}
	if c.Rating > 0 {
		pairs = append(pairs, [2]string{ui.Tr(r, "Penilaian warga", "Citizen's rating"), strings.Repeat("★", c.Rating) + strings.Repeat("☆", 5-c.Rating) + " " + c.RatingComment})
	}
	out := []ui.Node{nodes(head...), ui.Section(ui.Tr(r, "Uraian", "Description"), ui.Text(c.Description)), ui.DefinitionList(pairs...)}
	// At a district or regency the complaint is shown from the villages
	// below; its photo and its actions are at its village's page.
	atVillage := ui.Href(r, "/complaints/"+c.ID)
	if req.Level != sdk.Village {
		atVillage = "../../../../" + c.Tenant + "/m/complaints/complaints/" + c.ID
	}
	if c.HasPhoto {
		out = append(out, ui.HTML(template.HTML(`<p><a href="`+templateAttr(atVillage+"/photo")+`">`+templateText(ui.Tr(r, "Lihat foto", "See the photo"))+`</a></p>`)))
	}
	if req.Level != sdk.Village {
		out = append(out, ui.Link{Label: ui.Tr(r, "Tindak lanjuti di halaman desa", "Act on it at the village's page"), Href: atVillage, Primary: true})
	}
	canAct := req.Level == sdk.Village && req.Can(permWrite)
	if canAct && c.EscalatedTo != "" {
		ok, err := req.CanIn(r.Context(), c.EscalatedTo, permWrite)
		canAct = err == nil && ok
		if !canAct {
			out = append(out, ui.Muted(ui.Tr(r, "Pengaduan ini sudah diteruskan ke ", "This complaint was escalated to the ")+levelLabel(r, c.EscalationLevel)+ui.Tr(r, " dan ditangani di sana.", " and is handled there.")))
		}
	}
	if canAct {
		out = append(out, actionForms(r, &c, form, values, msg, errs)...)
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Pengaduan ", "Complaint ") + c.Ref, Status: status,
		Actions: []ui.Link{{Label: ui.Tr(r, "Kembali ke daftar", "Back to the list"), Href: "/complaints"}}, Body: out})
}

func complainant(r *http.Request, c *complaintView) string {
	if c.Anonymous && c.Name == "" {
		return ui.Tr(r, "Anonim", "Anonymous")
	}
	s := strings.TrimSpace(c.Name + " " + c.Phone)
	if c.Anonymous {
		s += ui.Tr(r, " (tanpa nomor HP)", " (no number)")
	}
	return s
}

// actionForms are the forms of the actions the complaint's state allows.
func actionForms(r *http.Request, c *complaintView, form string, values url.Values, msg string, errs map[string]string) []ui.Node {
	f := func(name string) (url.Values, string, map[string]string) {
		if name == form {
			return values, msg, errs
		}
		return nil, "", nil
	}
	var out []ui.Node
	base := "/complaints/" + c.ID + "/"
	if allowed("respond", c.State) == nil {
		v, m, e := f("assign")
		out = append(out, ui.Section(ui.Tr(r, "Tugaskan petugas", "Assign"), ui.Form{Action: base + "assign", Submit: ui.Tr(r, "Tugaskan", "Assign"), Values: v, Error: m, Errors: e, Fields: []ui.Field{
			{Name: "user", Label: ui.Tr(r, "Nama pengguna petugas", "Username"), Max: 64, Help: ui.Tr(r, "Pengguna yang login di desa ini, atau isi nama pejabat di bawah.", "A user of this village, or give an official's name below.")},
			{Name: "official", Label: ui.Tr(r, "atau nama pejabat", "or an official's name"), Max: 100, Placeholder: "Kepala Dusun II"},
		}}))
		v, m, e = f("respond")
		out = append(out, ui.Section(ui.Tr(r, "Jawab", "Answer"), ui.Form{Action: base + "respond", Submit: ui.Tr(r, "Kirim jawaban", "Send the answer"), Values: v, Error: m, Errors: e, Fields: []ui.Field{
			{Name: "answer", Label: ui.Tr(r, "Jawaban untuk warga", "Answer to the citizen"), Type: "textarea", Required: true, Max: 4000},
			{Name: "withhold", Label: ui.Tr(r, "Jangan diumumkan (misalnya uraian menyebut nama orang)", "Do not publish (the text names people, say)"), Type: "checkbox"},
		}}))
		v, m, e = f("escalate")
		var opts []ui.Option
		if c.EscalationLevel == "" {
			opts = append(opts, ui.Option{Value: "district", Label: ui.Tr(r, "Kecamatan", "District")})
		}
		if c.EscalationLevel != string(sdk.Regency) {
			opts = append(opts, ui.Option{Value: "regency", Label: ui.Tr(r, "Kabupaten", "Regency")})
			out = append(out, ui.Section(ui.Tr(r, "Teruskan ke tingkat atas", "Escalate"), ui.Form{Action: base + "escalate", Submit: ui.Tr(r, "Teruskan", "Escalate"), Values: v, Error: m, Errors: e, Fields: []ui.Field{
				{Name: "to", Label: ui.Tr(r, "Ke", "To"), Type: "select", Options: opts, Required: true},
				{Name: "reason", Label: ui.Tr(r, "Alasan", "Reason"), Type: "textarea", Required: true, Max: 1000},
			}}))
		}
		v, m, e = f("reject")
		out = append(out, ui.Section(ui.Tr(r, "Tolak", "Reject"), ui.Form{Action: base + "reject", Submit: ui.Tr(r, "Tolak pengaduan", "Reject"), Values: v, Error: m, Errors: e,
			Confirm: ui.Tr(r, "Tolak pengaduan ini?", "Reject this complaint?"), Fields: []ui.Field{
				{Name: "reason", Label: ui.Tr(r, "Alasan penolakan (dibaca warga)", "Reason (the citizen reads it)"), Type: "textarea", Required: true, Max: 1000},
			}}))
	}
	if allowed("close", c.State) == nil {
		_, m, _ := f("close")
		out = append(out, ui.Section(ui.Tr(r, "Selesaikan", "Close"), ui.Form{Action: base + "close", Submit: ui.Tr(r, "Tandai selesai", "Mark closed"), Error: m}))
	}
	return out
}

// pageAction runs an action through its API handler and shows the
// complaint again, with the form's errors on a refusal.
func pageAction(w http.ResponseWriter, r *http.Request) {
	action := r.PathValue("action")
	if err := r.ParseForm(); err != nil {
		fail(w, r, sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "unreadable form"))
		return
	}
	v := r.PostForm
	var fn func(*http.Request) (int, any, error)
	var body any
	var done string
	switch action {
	case "assign":
		fn, body, done = assign, map[string]string{"user": v.Get("user"), "official": v.Get("official")}, ui.Tr(r, "Petugas ditugaskan.", "Assigned.")
	case "respond":
		b := map[string]any{"answer": v.Get("answer")}
		if v.Get("withhold") != "" {
			b["publish"] = false
		}
		fn, body, done = respond, b, ui.Tr(r, "Jawaban dikirim.", "Answer sent.")
	case "reject":
		if !ui.Confirm(w, r, ui.Form{Action: "/complaints/" + r.PathValue("id") + "/reject", Confirm: ui.Tr(r, "Tolak pengaduan ini?", "Reject this complaint?"),
			Fields: []ui.Field{{Name: "reason", Type: "hidden"}}, Values: v}) {
			return
		}
		fn, body, done = reject, map[string]string{"reason": v.Get("reason")}, ui.Tr(r, "Pengaduan ditolak.", "Complaint rejected.")
	case "escalate":
		fn, body, done = escalate, map[string]string{"to": v.Get("to"), "reason": v.Get("reason")}, ui.Tr(r, "Pengaduan diteruskan.", "Complaint escalated.")
	case "close":
		fn, body, done = closeComplaint, map[string]string{}, ui.Tr(r, "Pengaduan selesai.", "Complaint closed.")
	default:
		fail(w, r, sdk.Errorf(http.StatusNotFound, sdk.CodeNotFound, "no such action"))
		return
	}
	// Blank fields are left out, as ui.Decode does, so that the API's own
	// rules name what is missing.
	if m, ok := body.(map[string]string); ok {
		for k, s := range m {
			if s == "" {
				delete(m, k)
			}
		}
	}
	_, _, err := ui.CallAPI(r, fn, "POST", nil, body, "id", r.PathValue("id"))
	if err == nil {
		ui.Redirect(w, r, "/complaints/"+r.PathValue("id"), "success", done)
		return
	}
	errs, msg, status, ok := pageErrors.Client(r, err)
	if !ok {
		fail(w, r, err)
		return
	}
	if status == http.StatusNotFound {
		fail(w, r, err)
		return
	}
	renderComplaint(w, r, status, action, v, msg, errs)
}

// pageRecap is the regency-level screen: one row per village below (or
// the village itself), from GET /stats.
func pageRecap(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	q := url.Values{}
	if y := r.URL.Query().Get("year"); y != "" {
		q.Set("year", y)
	}
	_, body, err := ui.CallAPI(r, stats, "GET", q, nil)
	if err != nil {
		if _, _, _, ok := pageErrors.Client(r, err); ok {
			fail(w, r, err)
			return
		}
		fail(w, r, err)
		return
	}
	s := body.(statsView)
	rows := make([]ui.Row, 0, len(s.Villages))
	for _, v := range s.Villages {
		open := v.ByState[StateReceived] + v.ByState[StateInProgress]
		row := ui.Row{Cells: []ui.Node{ui.Cell(v.Name), ui.Cell(v.Code), ui.Cell(ui.Number(uint64(v.Total))), ui.Cell(ui.Number(uint64(open))),
			overdueCell(r, v.Overdue), ui.Cell(fmtFloat(v.MedianDays, "")), ui.Cell(fmtFloat(v.OnTimePct, "%")), ui.Cell(fmtFloat(v.AvgRating, ""))}}
		if req.Level != sdk.Village {
			row.Href = "../../../" + v.Code + "/m/complaints/complaints"
		}
		rows = append(rows, row)
	}
	var bars []ui.Bar
	for _, c := range categories {
		bars = append(bars, ui.Bar{Label: ui.Tr(r, c.Name, c.NameEN), Value: float64(s.ByCategory[c.Code])})
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Rekap pengaduan", "Complaints recap"), Body: []ui.Node{
		ui.Form{Method: "GET", Action: "/recap", Submit: ui.Tr(r, "Tampilkan", "Show"), Values: r.URL.Query(), Fields: []ui.Field{
			{Name: "year", Label: ui.Tr(r, "Tahun (kosong: semua)", "Year (empty: all)"), Type: "number", Max: 2100}}},
		ui.DefinitionList(
			[2]string{ui.Tr(r, "Pengaduan", "Complaints"), ui.Number(uint64(s.Total))},
			[2]string{ui.Tr(r, "Lewat tenggat", "Overdue"), ui.Number(uint64(s.Overdue))},
			[2]string{ui.Tr(r, "Median waktu tanggapan", "Median response time"), fmtFloat(s.MedianDays, " "+ui.Tr(r, "hari kerja", "working days"))},
			[2]string{ui.Tr(r, "Tepat waktu", "On time"), fmtFloat(s.OnTimePct, "%")},
			[2]string{ui.Tr(r, "Target", "Target"), fmt.Sprintf("%d %s", s.TargetDays, ui.Tr(r, "hari kerja", "working days"))},
			[2]string{ui.Tr(r, "Rata-rata penilaian warga", "Average rating"), fmtFloat(s.AvgRating, " / 5")},
		),
		ui.Chart{Title: ui.Tr(r, "Pengaduan per kategori", "Complaints by category"), Bars: bars},
		ui.Table{Columns: []ui.Column{{Key: "name", Label: ui.Tr(r, "Desa", "Village")}, {Key: "code", Label: ui.Tr(r, "Kode", "Code")},
			{Key: "total", Label: ui.Tr(r, "Pengaduan", "Complaints")}, {Key: "open", Label: ui.Tr(r, "Belum dijawab", "Open")},
			{Key: "overdue", Label: ui.Tr(r, "Lewat tenggat", "Overdue")}, {Key: "median", Label: ui.Tr(r, "Median (hari kerja)", "Median (working days)")},
			{Key: "on_time", Label: ui.Tr(r, "Tepat waktu", "On time")}, {Key: "rating", Label: ui.Tr(r, "Nilai", "Rating")}},
			Rows: rows, Empty: ui.Tr(r, "Modul pengaduan belum aktif di desa mana pun di bawah ini.", "The module is on in no village below."),
			Caption: ui.Tr(r, "Rekap per desa", "Per village")},
	}})
}

func overdueCell(r *http.Request, n int64) ui.Node {
	if n == 0 {
		return ui.Cell("0")
	}
	return ui.Badge("danger", ui.Number(uint64(n)))
}

// pageSettings shows the response target and the holidays in effect; the
// regency's admin changes them (one holiday a line: YYYY-MM-DD Name).
func pageSettings(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	status, errs, msg := http.StatusOK, map[string]string(nil), ""
	var values url.Values
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			fail(w, r, err)
			return
		}
		values = r.PostForm
		s, err := settingsFromForm(values)
		if err == nil {
			_, _, err = ui.CallAPI(r, putSettings, "PUT", nil, s)
		}
		if err == nil {
			ui.Redirect(w, r, "/settings", "success", ui.Tr(r, "Pengaturan disimpan.", "Settings saved."))
			return
		}
		var ok bool
		if errs, msg, status, ok = pageErrors.Client(r, err); !ok {
			fail(w, r, err)
			return
		}
		errs["holidays"] = msg
	}
	_, body, err := ui.CallAPI(r, getSettings, "GET", nil, nil)
	if err != nil {
		fail(w, r, err)
		return
	}
	s := body.(settingsView)
	if values == nil {
		var lines []string
		for _, h := range s.Holidays {
			lines = append(lines, h.Date+" "+h.Name)
		}
		values = url.Values{"target_days": {strconv.Itoa(s.TargetDays)}, "holidays": {strings.Join(lines, "\n")}}
	}
	out := []ui.Node{ui.Muted(ui.Tr(r,
		"Target waktu tanggapan dihitung dalam hari kerja (Senin sampai Jumat, kecuali hari libur nasional dan cuti bersama). Daftar bawaan 2026 dan 2027 mengikuti SKB 3 Menteri; sesuaikan bila keputusan tahun berjalan berbeda.",
		"The response target counts working days (Monday to Friday, except national holidays and collective leave). The shipped 2026 and 2027 list follows the joint ministerial decree; adjust it when the year's decree differs."))}
	if s.DefaultHolidays {
		out = append(out, ui.Badge("info", ui.Tr(r, "Daftar libur bawaan", "Shipped holiday list")))
	}
	if req.Level == sdk.Regency && req.Can(permSettings) {
		out = append(out, ui.Form{Action: "/settings", Values: values, Errors: errs, Error: msg, Fields: []ui.Field{
			{Name: "target_days", Label: ui.Tr(r, "Target tanggapan (hari kerja)", "Response target (working days)"), Type: "number", Required: true, Max: 60},
			{Name: "holidays", Label: ui.Tr(r, "Hari libur (satu per baris: TTTT-BB-HH Nama)", "Holidays (one a line: YYYY-MM-DD Name)"), Type: "textarea"},
		}})
	} else {
		out = append(out, ui.DefinitionList([2]string{ui.Tr(r, "Target tanggapan", "Response target"), fmt.Sprintf("%d %s", s.TargetDays, ui.Tr(r, "hari kerja", "working days"))}))
		var pairs [][2]string
		for _, h := range s.Holidays {
			pairs = append(pairs, [2]string{ui.DateOnly(h.Date), h.Name})
		}
		out = append(out, ui.Section(ui.Tr(r, "Hari libur", "Holidays"), ui.DefinitionList(pairs...)),
			ui.Muted(ui.Tr(r, "Ditetapkan oleh kabupaten.", "Set by the regency.")))
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Target pengaduan", "Complaints target"), Status: status, Body: out})
}

// settingsFromForm reads the settings form: the target and the holidays,
// one a line.
func settingsFromForm(v url.Values) (Settings, error) {
	var s Settings
	n, err := strconv.Atoi(strings.TrimSpace(v.Get("target_days")))
	if err != nil {
		e := sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidSettings, "target_days must be a whole number of working days")
		e.Field = "target_days"
		return s, e
	}
	s.TargetDays = n
	s.Holidays = []Holiday{}
	for i, line := range strings.Split(v.Get("holidays"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		date, name, _ := strings.Cut(line, " ")
		if len(date) != 10 {
			e := sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidSettings, "line %d: start with a date YYYY-MM-DD", i+1)
			e.Field = "holidays"
			return s, e
		}
		s.Holidays = append(s.Holidays, Holiday{Date: date, Name: strings.TrimSpace(name)})
	}
	return s, nil
}

// widget is the dashboard's count of open and overdue complaints.
func widget(w http.ResponseWriter, r *http.Request) {
	_, body, err := ui.CallAPI(r, stats, "GET", nil, nil)
	if err != nil {
		fail(w, r, err)
		return
	}
	s := body.(statsView)
	open := s.ByState[StateReceived] + s.ByState[StateInProgress]
	out := []ui.Node{ui.Text(fmt.Sprintf(ui.Tr(r, "%d pengaduan belum dijawab, %d lewat tenggat.", "%d complaints open, %d overdue."), open, s.Overdue))}
	if s.Overdue > 0 {
		out = append(out, ui.A(ui.Tr(r, "Lihat yang lewat tenggat", "See the overdue ones"), "/complaints?overdue=true"))
	} else {
		out = append(out, ui.A(ui.Tr(r, "Lihat pengaduan", "See complaints"), "/complaints"))
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Pengaduan", "Complaints"), Body: out})
}
