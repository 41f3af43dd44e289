package main

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// transitions: an action is allowed from these states only.
var transitions = map[string][]string{
	"assign":   {StateReceived, StateInProgress},
	"respond":  {StateReceived, StateInProgress},
	"reject":   {StateReceived, StateInProgress},
	"escalate": {StateReceived, StateInProgress},
	"close":    {StateAnswered},
}

var pastTense = map[string]string{"assign": "assigned", "respond": "answered", "reject": "rejected", "escalate": "escalated", "close": "closed"}

func allowed(action, state string) error {
	if slices.Contains(transitions[action], state) {
		return nil
	}
	return sdk.Errorf(http.StatusConflict, codeInvalidState, "a complaint that is %s cannot be %s (only when %s)", state, pastTense[action], strings.Join(transitions[action], " or "))
}

// loadForAction reads the complaint of the path at its village and checks
// that the caller may act on it: at the village while it is the village's,
// and, once escalated, only someone holding complaints.complaints.write in
// the district or regency it went to (a district official's grant there
// holds in its villages too, so the same URL serves both).
func loadForAction(r *http.Request, action string) (*sdk.Record, *complaint, error) {
	req := sdk.From(r)
	ctx := r.Context()
	if req.Level != sdk.Village {
		return nil, nil, notHere(r)
	}
	rec, c, err := load(r)
	if err != nil {
		return nil, nil, err
	}
	if c.EscalatedTo != "" {
		ok, err := req.CanIn(ctx, c.EscalatedTo, permWrite)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			return nil, nil, sdk.Errorf(http.StatusForbidden, codeEscalated,
				"this complaint was escalated to the %s (%s): only its officials act on it now", c.EscalationLevel, c.EscalatedTo)
		}
	}
	if err := allowed(action, c.State); err != nil {
		return nil, nil, err
	}
	return rec, c, nil
}

// notHere answers an action asked at a district or regency: a complaint
// stays with its village, where the district's and regency's officials act
// on it too. When the complaint is found below, the message names its
// address.
func notHere(r *http.Request) error {
	req := sdk.From(r)
	id := r.PathValue("id")
	recs, _, err := req.Records("complaints").Query().Subtree().Where(sdk.FieldID, sdk.Eq, id).Page(0, 1).Run(r.Context())
	if err == nil && len(recs) == 1 {
		return sdk.Errorf(http.StatusUnprocessableEntity, codeNotAVillage,
			"complaints are acted on at their village, by its clerks or, once escalated, by the district's or regency's officials: use /api/v1/t/%s/complaints%s",
			recs[0].Tenant, strings.TrimPrefix(r.URL.Path, "/api/v1/t/"+req.Tenant+"/complaints"))
	}
	return errNotAVillage(req, "complaints are acted on")
}

// load reads the complaint of the path in the request's tenant, or, at a
// district or regency, in the villages below.
func load(r *http.Request) (*sdk.Record, *complaint, error) {
	req := sdk.From(r)
	id := r.PathValue("id")
	notFound := sdk.Errorf(http.StatusNotFound, codeComplaintNotFound, "no complaint %s in %s", id, req.Tenant)
	var rec *sdk.Record
	if req.Level == sdk.Village {
		got, err := req.Records("complaints").Get(r.Context(), id)
		if errors.Is(err, sdk.ErrNotFound) {
			return nil, nil, notFound
		}
		if err != nil {
			return nil, nil, err
		}
		rec = got
	} else {
		recs, _, err := req.Records("complaints").Query().Subtree().Where(sdk.FieldID, sdk.Eq, id).Page(0, 1).Run(r.Context())
		if err != nil {
			return nil, nil, err
		}
		if len(recs) == 0 {
			return nil, nil, notFound
		}
		rec = &recs[0]
	}
	c, err := decode(rec)
	return rec, c, err
}

// commit writes patch to the complaint with its audit entry and event.
func commit(r *http.Request, action string, rec *sdk.Record, c *complaint, patch map[string]any, event string) (int, any, error) {
	req := sdk.From(r)
	b := req.Batch()
	updated := b.Update("complaints", rec.ID, rec.Version, patch)
	b.Audit("complaint."+pastTense[action], c.Ref, map[string]string{"id": rec.ID, "state": c.State, "escalated_to": c.EscalatedTo})
	b.Publish(event, payloadOf(rec.ID, rec.Tenant, c))
	err := b.Commit(r.Context())
	if errors.Is(err, sdk.ErrConflict) {
		return 0, nil, sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "the complaint changed meanwhile: read it again")
	}
	if err != nil {
		return 0, nil, err
	}
	v, err := viewOf(&updated.Record, req)
	return http.StatusOK, v, err
}

var usernameRE = func(s string) bool {
	if len(s) < 2 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// assignBody names who handles the complaint: a user of the village (the
// username of their login) or an official by name (a hamlet head without a
// login); exactly one.
type assignBody struct {
	User     string `json:"user,omitempty"`
	Official string `json:"official,omitempty"`
}

// assign is POST /complaints/{id}/assign: received or in_progress ->
// in_progress. 422 invalid_assignee; 409 invalid_state; 403
// escalated_elsewhere.
func assign(r *http.Request) (int, any, error) {
	var b assignBody
	if err := sdk.Bind(r, &b); err != nil {
		return 0, nil, err
	}
	b.User, b.Official = strings.TrimSpace(b.User), strings.TrimSpace(b.Official)
	bad := func(format string, args ...any) error {
		return sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidAssignee, format, args...)
	}
	switch {
	case (b.User == "") == (b.Official == ""):
		return 0, nil, bad("give exactly one of user (a username of the village) or official (a name)")
	case b.User != "" && !usernameRE(b.User):
		return 0, nil, bad("user must be a username: 2 to 64 of a-z, 0-9, '.', '-', '_'")
	case b.Official != "":
		if err := input.Name(b.Official, 100); err != nil {
			return 0, nil, bad("official %v", err)
		}
	}
	rec, c, err := loadForAction(r, "assign")
	if err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	c.State, c.AssignedUser, c.AssignedName, c.AssignedBy, c.AssignedAt = StateInProgress, b.User, b.Official, req.User, req.Now().UTC()
	return commit(r, "assign", rec, c, map[string]any{"state": c.State, "assigned_user": b.User, "assigned_name": b.Official,
		"assigned_by": req.User, "assigned_at": c.AssignedAt}, evAssigned)
}

// respondBody is the answer to the citizen.
type respondBody struct {
	// Answer is shown to the citizen on the tracking page (and published
	// when agreed): 5 to 4000 characters.
	Answer string `json:"answer"`
	// Publish, set to false, withholds a complaint from publication although
	// the complainant agreed (its text names people, say); it cannot
	// publish one the complainant did not agree to.
	Publish *bool `json:"publish,omitempty"`
}

// respond is POST /complaints/{id}/respond: received or in_progress ->
// answered, timed against the due date in working days. 422
// invalid_answer; 409 invalid_state; 403 escalated_elsewhere.
func respond(r *http.Request) (int, any, error) {
	var b respondBody
	if err := sdk.Bind(r, &b); err != nil {
		return 0, nil, err
	}
	b.Answer = strings.TrimSpace(b.Answer)
	if input.Len(b.Answer) < 5 {
		return 0, nil, fieldErr(codeInvalidAnswer, "answer", "answer is required: at least 5 characters")
	}
	if err := input.Text(b.Answer, 4000); err != nil {
		return 0, nil, fieldErr(codeInvalidAnswer, "answer", "answer %v", err)
	}
	rec, c, err := loadForAction(r, "respond")
	if err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	_, cal, err := effective(r)
	if err != nil {
		return 0, nil, err
	}
	today := req.Today()
	days := cal.between(c.SubmittedDate, today)
	onTime := today <= c.DueDate
	level := string(sdk.Village)
	if c.EscalatedTo != "" {
		level = c.EscalationLevel
	}
	c.State, c.Answer, c.AnsweredBy, c.AnsweredAt, c.AnsweredDate, c.AnsweredLevel, c.ResponseDays, c.OnTime =
		StateAnswered, b.Answer, req.User, req.Now().UTC(), today, level, &days, &onTime
	patch := map[string]any{"state": c.State, "answer": c.Answer, "answered_by": c.AnsweredBy, "answered_at": c.AnsweredAt,
		"answered_date": today, "answered_level": level, "response_days": days, "on_time": onTime}
	if b.Publish != nil && !*b.Publish && c.Publish {
		c.Publish = false
		patch["publish"] = false
	}
	return commit(r, "respond", rec, c, patch, evAnswered)
}

func fieldErr(code sdk.Code, field, format string, args ...any) error {
	e := sdk.Errorf(http.StatusUnprocessableEntity, code, format, args...)
	e.Field = field
	return e
}

// reasonBody carries a rejection's reason.
type reasonBody struct {
	Reason string `json:"reason"`
}

func checkReason(s string) (string, error) {
	s = strings.TrimSpace(s)
	if input.Len(s) < 5 {
		return "", fieldErr(codeInvalidReason, "reason", "reason is required: at least 5 characters, at most 1000")
	}
	if err := input.Text(s, 1000); err != nil {
		return "", fieldErr(codeInvalidReason, "reason", "reason %v", err)
	}
	return s, nil
}

// reject is POST /complaints/{id}/reject {"reason"}: received or
// in_progress -> rejected (not a complaint the village can act on, a
// duplicate, abusive). The rejection counts as the response for the
// response time. 422 invalid_reason; 409 invalid_state.
func reject(r *http.Request) (int, any, error) {
	var b reasonBody
	if err := sdk.Bind(r, &b); err != nil {
		return 0, nil, err
	}
	reason, err := checkReason(b.Reason)
	if err != nil {
		return 0, nil, err
	}
	rec, c, err := loadForAction(r, "reject")
	if err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	_, cal, err := effective(r)
	if err != nil {
		return 0, nil, err
	}
	today := req.Today()
	days := cal.between(c.SubmittedDate, today)
	onTime := today <= c.DueDate
	c.State, c.RejectReason, c.RejectedBy, c.RejectedAt, c.ResponseDays, c.OnTime = StateRejected, reason, req.User, req.Now().UTC(), &days, &onTime
	return commit(r, "reject", rec, c, map[string]any{"state": c.State, "reject_reason": reason, "rejected_by": req.User,
		"rejected_at": c.RejectedAt, "answered_date": today, "response_days": days, "on_time": onTime}, evRejected)
}

// escalateBody sends a complaint up.
type escalateBody struct {
	// To is "district" (the kecamatan) or "regency".
	To string `json:"to"`
	// Reason says why the village cannot resolve it (outside its powers,
	// a regency road): shown to the officials above, 5 to 1000 characters.
	Reason string `json:"reason"`
}

// escalate is POST /complaints/{id}/escalate {"to","reason"}: an open
// complaint goes to the district or the regency above its village; it
// stays the village's record, is listed there (GET /complaints?escalated=here
// at the district or regency), and only their officials act on it from
// then on (permission checked in the target tenant). It goes back to
// received, unassigned; the due date stays. 422
// invalid_escalation_target, invalid_reason; 409 invalid_state.
func escalate(r *http.Request) (int, any, error) {
	var b escalateBody
	if err := sdk.Bind(r, &b); err != nil {
		return 0, nil, err
	}
	reason, err := checkReason(b.Reason)
	if err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	parts := strings.Split(req.Tenant, ".")
	var target string
	switch b.To {
	case string(sdk.District):
		target = strings.Join(parts[:min(3, len(parts))], ".")
	case string(sdk.Regency):
		target = strings.Join(parts[:min(2, len(parts))], ".")
	default:
		return 0, nil, fieldErr(codeInvalidTarget, "to", "to must be district or regency")
	}
	rec, c, err := loadForAction(r, "escalate")
	if err != nil {
		return 0, nil, err
	}
	if c.EscalationLevel == string(sdk.Regency) || c.EscalationLevel == b.To {
		return 0, nil, fieldErr(codeInvalidTarget, "to", "the complaint is at the %s already: it goes up, never down or sideways", c.EscalationLevel)
	}
	c.State, c.EscalatedTo, c.EscalationLevel, c.EscalationReason, c.EscalatedBy, c.EscalatedAt = StateReceived, target, b.To, reason, req.User, req.Now().UTC()
	c.AssignedUser, c.AssignedName = "", ""
	return commit(r, "escalate", rec, c, map[string]any{"state": c.State, "escalated_to": target, "escalation_level": b.To,
		"escalation_reason": reason, "escalated_by": req.User, "escalated_at": c.EscalatedAt, "assigned_user": "", "assigned_name": ""}, evEscalated)
}

// closeComplaint is POST /complaints/{id}/close (no body, or {}):
// answered -> closed, when the matter is settled. 409 invalid_state.
func closeComplaint(r *http.Request) (int, any, error) {
	var b struct{}
	if err := sdk.BindOptional(r, &b); err != nil {
		return 0, nil, err
	}
	rec, c, err := loadForAction(r, "close")
	if err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	c.State, c.ClosedBy, c.ClosedAt = StateClosed, req.User, req.Now().UTC()
	return commit(r, "close", rec, c, map[string]any{"state": c.State, "closed_by": req.User, "closed_at": c.ClosedAt}, evClosed)
}

// getComplaint is GET /complaints/{id}: at a village its own, at a
// district or regency any of the villages below.
func getComplaint(r *http.Request) (int, any, error) {
	rec, _, err := load(r)
	if err != nil {
		return 0, nil, err
	}
	v, err := viewOf(rec, sdk.From(r))
	return http.StatusOK, v, err
}

// listComplaints is GET /complaints: the village's complaints, or at a
// district or regency those of every village below (where the module is
// on). Filters: state, category, overdue=true, escalated=here|any,
// village=CODE, assigned=me, ref; sort=-submitted_at (default),
// submitted_at, due_date, -due_date. 400 invalid_filter.
func listComplaints(r *http.Request) (int, any, error) {
	offset, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	ctx := r.Context()
	q, err := complaintQuery(r, req.Records("complaints").Query())
	if err != nil {
		return 0, nil, err
	}
	recs, total, err := q.Page(offset, limit).WithTotal().Run(ctx)
	if err != nil {
		return 0, nil, err
	}
	names, err := villageNames(r, len(recs) > 0)
	if err != nil {
		return 0, nil, err
	}
	items := make([]complaintView, 0, len(recs))
	for i := range recs {
		v, err := viewOf(&recs[i], req)
		if err != nil {
			return 0, nil, err
		}
		v.Village = names[v.Tenant]
		items = append(items, v)
	}
	return http.StatusOK, sdk.ListOf[complaintView]{Items: items, Total: total}, nil
}

func badFilter(format string, args ...any) error {
	return sdk.Errorf(http.StatusBadRequest, codeInvalidFilter, format, args...)
}

// complaintQuery applies the list's filters and sort.
func complaintQuery(r *http.Request, q *sdk.Query) (*sdk.Query, error) {
	req := sdk.From(r)
	if req.Level != sdk.Village {
		q = q.Subtree()
	}
	p := r.URL.Query()
	if v := p.Get("state"); v != "" {
		if v == "open" {
			q = q.Where("state", sdk.In, openStates)
		} else if !slices.Contains(states, v) {
			return nil, badFilter("state must be open or one of %s", strings.Join(states, ", "))
		} else {
			q = q.Where("state", sdk.Eq, v)
		}
	}
	if v := p.Get("category"); v != "" {
		if !slices.Contains(categoryCodes(), v) {
			return nil, badFilter("category must be one of %s", strings.Join(categoryCodes(), ", "))
		}
		q = q.Where("category", sdk.Eq, v)
	}
	switch p.Get("overdue") {
	case "":
	case "true", "1":
		q = q.Where("state", sdk.In, openStates).Where("due_date", sdk.Lt, req.Today())
	default:
		return nil, badFilter("overdue must be true")
	}
	switch v := p.Get("escalated"); v {
	case "":
	case "here":
		q = q.Where("escalated_to", sdk.Eq, req.Tenant)
	case "any", "true":
		q = q.Where("escalated_to", sdk.NotNull, nil)
	default:
		return nil, badFilter("escalated must be here or any")
	}
	if v := p.Get("village"); v != "" {
		q = q.Where(sdk.FieldTenant, sdk.Eq, v)
	}
	if p.Get("assigned") == "me" && req.User != "" {
		q = q.Where("assigned_user", sdk.Eq, req.User)
	}
	if v := strings.ToUpper(strings.TrimSpace(p.Get("ref"))); v != "" {
		q = q.Where("ref", sdk.Eq, v)
	}
	switch s := p.Get("sort"); s {
	case "", "-submitted_at":
		q = q.OrderBy("submitted_at", true)
	case "submitted_at":
		q = q.OrderBy("submitted_at", false)
	case "due_date", "-due_date":
		q = q.OrderBy("due_date", s[0] == '-')
	default:
		return nil, badFilter("sort must be submitted_at, -submitted_at, due_date or -due_date")
	}
	return q, nil
}

// villageNames maps the villages below a district or regency to their
// names (nothing at a village, or when there is nothing to name).
func villageNames(r *http.Request, need bool) (map[string]string, error) {
	req := sdk.From(r)
	names := map[string]string{}
	if !need {
		return names, nil
	}
	if req.Level == sdk.Village {
		self, _, err := req.TenantInfo(r.Context())
		if err != nil {
			return nil, err
		}
		names[self.Code] = self.Name
		return names, nil
	}
	below, err := req.TenantsBelow(r.Context(), sdk.Village)
	if err != nil {
		return nil, err
	}
	for _, t := range below {
		names[t.Code] = t.Name
	}
	return names, nil
}
