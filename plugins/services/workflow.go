package main

import (
	"context"
	"crypto/rand"
	"errors"
	"math"
	mrand "math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// transitions is the request's state machine: an action is allowed from
// these states only. An issued letter is never edited: it can only be
// revoked, and a revoked or rejected request is final.
var transitions = map[string]struct {
	from []string
	to   string
}{
	"edit":    {[]string{StateSubmitted}, StateSubmitted},
	"approve": {[]string{StateSubmitted}, StateApproved},
	"reject":  {[]string{StateSubmitted}, StateRejected},
	"issue":   {[]string{StateApproved}, StateIssued},
	"revoke":  {[]string{StateApproved, StateIssued}, StateRevoked},
	// A letter is printed once issued: printed earlier, its QR code would
	// verify as not valid in the citizen's hands (issue 13 item 5). A
	// revoked letter prints marked as revoked.
	"print": {[]string{StateIssued, StateRevoked}, ""},
}

// allowed says whether action may happen to a request in state; a
// violation is a 409 naming both.
func allowed(action, state string) error {
	t, ok := transitions[action]
	if !ok {
		return errors.New("unknown action " + action)
	}
	if contains(t.from, state) {
		return nil
	}
	if action == "print" && (state == StateApproved || state == StateSubmitted) {
		return sdk.Errorf(http.StatusConflict, codeLetterNotIssued, "a letter is printed once issued: issue it first (POST /requests/{id}/issue), so that its QR code verifies as valid")
	}
	return sdk.Errorf(http.StatusConflict, codeInvalidState, "a request that is %s cannot be %s (only when %s)", state, pastTense[action], strings.Join(t.from, " or "))
}

// errChanged answers a write that lost to another made since the request
// was read.
var errChanged = sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "the request changed meanwhile: read it again")

var pastTense = map[string]string{"edit": "edited", "approve": "approved", "reject": "rejected", "issue": "issued", "revoke": "revoked", "print": "printed"}

// reasonBody carries the reason for a rejection or a revocation.
type reasonBody struct {
	Reason string `json:"reason"`
}

func bindReason(r *http.Request) (string, error) {
	var b reasonBody
	if err := sdk.Bind(r, &b); err != nil {
		return "", err
	}
	b.Reason = strings.TrimSpace(b.Reason)
	if b.Reason == "" {
		return "", sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidReason, "reason is required, at most 500 characters")
	}
	// The reason is shown to the citizen (tracking) and kept with the
	// letter: free text by the shared rules.
	if err := input.Text(b.Reason, 500); err != nil {
		return "", sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidReason, "reason %v", err)
	}
	return b.Reason, nil
}

// counter is the last letter number given in a tenant in a year.
type counter struct {
	Year int `json:"year"`
	Last int `json:"last"`
}

// purposeApprove is why approve reads a request revealed: the letter is
// built from the resident's snapshot and NIK, whoever approves it (a
// "kepala desa" role may approve without read_personal), and an online
// request gives back its waiting place by NIK.
const purposeApprove = "build the approved letter from the request"

// approve gives the request the tenant's next number for the year and
// fixes the letter's content. The counter and the request are written in
// one batch, each guarded by the version read, so a number is used exactly
// once and only by a request that is approved with it: concurrent
// approvals lose the race with a conflict and try again on fresh reads.
func approve(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	rec, q, err := loadRequest(r, purposeApprove)
	if err != nil {
		return 0, nil, err
	}
	if err := allowed("approve", q.State); err != nil {
		return 0, nil, err
	}
	s, res, err := loadSettings(ctx, req)
	if err != nil {
		return 0, nil, err
	}
	if err := checkFourEyes(r, &res, rec.ID, q); err != nil {
		return 0, nil, err
	}
	base := baseURL(r, &res)
	if base == "" {
		return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codePublicBaseURLMissing, "set public_base_url in PUT /settings: the letter's QR code needs the portal's address")
	}
	lt, _ := letterType(q.Type)
	tmpl := lt.Default.with(s.Types[lt.Code])
	// The letter is dated and numbered by the village's calendar (or the
	// zone its settings name): in WIT, New Year's Day begins at 15:00 UTC.
	now := req.Now().In(res.loc)
	counters := req.Records("counters")
	for attempt := 0; ; attempt++ {
		code := rand.Text()
		c, err := counters.GetBy(ctx, "year", now.Year())
		if err != nil && !errors.Is(err, sdk.ErrNotFound) {
			return 0, nil, err
		}
		b := req.Batch()
		seq := 1
		if c == nil {
			b.Insert("counters", counter{Year: now.Year(), Last: 1})
		} else {
			var cur counter
			if err := c.Decode(&cur); err != nil {
				return 0, nil, err
			}
			seq = cur.Last + 1
			b.Update("counters", c.ID, c.Version, map[string]int{"last": seq})
		}
		if err := releaseWaitingPlace(ctx, req, b, q); err != nil {
			return 0, nil, err
		}
		number := formatNumber(res.NumberTemplate, numberParts{Seq: seq, TypeCode: tmpl.NumberCode, Type: lt.Code, Village: req.Tenant, Date: now})
		letter := buildLetter(lt, tmpl, &res, q, number, now, base+verifyPath(req.Tenant, code))
		approved := b.Update("requests", rec.ID, rec.Version, map[string]any{
			"state": StateApproved, "approved_by": req.User, "approved_at": now.UTC(), "number": number,
			"year": now.Year(), "seq": seq, "letter_date": now.Format(time.DateOnly), "letter": letter, "verify_code": code,
		})
		err = b.Audit("requests.approved", q.Ref, map[string]string{"id": rec.ID, "number": number}).
			Publish("services.request_approved", eventPayload{ID: rec.ID, Ref: q.Ref, Type: q.Type, State: StateApproved, Number: number}).
			Commit(ctx)
		if err == nil {
			v, err := viewOf(&approved.Record, req)
			return http.StatusOK, v, err
		}
		var se *sdk.Error
		if errors.As(err, &se) && se.Code == sdk.CodeDuplicate && se.Field == "number" {
			return 0, nil, sdk.Errorf(http.StatusConflict, codeDuplicateNumber, "number %s is already used in this tenant: check the number template", number)
		}
		if !errors.Is(err, sdk.ErrConflict) && !errors.Is(err, sdk.ErrDuplicate) {
			return 0, nil, err
		}
		// Someone else took the number (or created this year's counter,
		// or changed this request): wait a little and read again.
		if err := backoff(ctx, attempt); err != nil {
			return 0, nil, sdk.Errorf(http.StatusServiceUnavailable, codeBusy, "too many approvals at once: try again")
		}
		if rec, q, err = loadRequest(r, purposeApprove); err != nil {
			return 0, nil, err
		}
		if err := allowed("approve", q.State); err != nil {
			return 0, nil, err
		}
	}
}

// checkFourEyes refuses an approval by the request's submitter or last
// editor where the tenant's settings ask for four eyes (prinsip empat
// mata: every letter seen by two people before it is numbered). The
// refusal is audited (requests.approval_refused), so that a supervisor
// sees who tried. A citizen's online request has no submitter: any clerk
// approves it.
func checkFourEyes(r *http.Request, res *resolved, id string, q *request) error {
	req := sdk.From(r)
	if !res.FourEyes || req.User == "" {
		return nil
	}
	var role string
	switch req.User {
	case q.SubmittedBy:
		role = "submitted"
	case q.EditedBy:
		role = "last edited"
	default:
		return nil
	}
	if err := req.Batch().Audit("requests.approval_refused", q.Ref, map[string]string{"id": id, "reason": "four_eyes", "role": role}).Commit(r.Context()); err != nil {
		return err
	}
	return sdk.Errorf(http.StatusForbidden, codeFourEyesRequired, "this tenant requires a second person to approve (four_eyes, prinsip empat mata): you %s this request, so someone else must approve it", role)
}

// backoff sleeps a random time up to an exponentially growing cap ("full
// jitter"), so that contenders spread out instead of colliding again. It
// gives up when the request's own deadline is near.
func backoff(ctx context.Context, attempt int) error {
	limit := 2 * time.Millisecond << min(attempt, 6) // up to 128 ms
	d := time.Duration(mrand.Int64N(int64(limit))) + time.Millisecond
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d+2*time.Second {
		return context.DeadlineExceeded
	}
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// change moves a request to the action's state in one batch with its
// audit entry and event.
func change(r *http.Request, action string, patch func(q *request, now time.Time) map[string]any) (int, any, error) {
	req := sdk.From(r)
	to := transitions[action].to
	purpose := ""
	if contains(transitions[action].from, StateSubmitted) && to != StateSubmitted {
		// A decision gives back an online request's waiting place, found
		// by the request's NIK (see releaseWaitingPlace).
		purpose = "give back the resident's online waiting place"
	}
	rec, q, err := loadRequest(r, purpose)
	if err != nil {
		return 0, nil, err
	}
	if err := allowed(action, q.State); err != nil {
		return 0, nil, err
	}
	p := patch(q, req.Now().UTC())
	p["state"] = to
	b := req.Batch()
	updated := b.Update("requests", rec.ID, rec.Version, p)
	b.Audit("requests."+pastTense[action], q.Ref, map[string]string{"id": rec.ID, "from": q.State, "number": q.Number}).
		Publish("services.request_"+pastTense[action], eventPayload{ID: rec.ID, Ref: q.Ref, Type: q.Type, State: to, Number: q.Number})
	if to != StateSubmitted {
		if err := releaseWaitingPlace(r.Context(), req, b, q); err != nil {
			return 0, nil, err
		}
	}
	err = b.Commit(r.Context())
	if errors.Is(err, sdk.ErrConflict) || errors.Is(err, sdk.ErrConditionFailed) {
		return 0, nil, errChanged
	}
	if err != nil {
		return 0, nil, err
	}
	v, err := viewOf(&updated.Record, req)
	return http.StatusOK, v, err
}

func reject(r *http.Request) (int, any, error) {
	reason, err := bindReason(r)
	if err != nil {
		return 0, nil, err
	}
	user := sdk.From(r).User
	return change(r, "reject", func(q *request, now time.Time) map[string]any {
		return map[string]any{"rejected_by": user, "rejected_at": now, "reject_reason": reason}
	})
}

// issue marks an approved letter issued, keeping how many working days
// it took (service_days) for GET /performance.
func issue(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	return change(r, "issue", func(q *request, now time.Time) map[string]any {
		// The exact count is kept (no limit), whatever the target is now.
		return map[string]any{"issued_by": req.User, "issued_at": now, "service_days": workingDaysAfter(q.SubmittedAt, now, req.Location(), math.MaxInt-1)}
	})
}

func revoke(r *http.Request) (int, any, error) {
	reason, err := bindReason(r)
	if err != nil {
		return 0, nil, err
	}
	user := sdk.From(r).User
	return change(r, "revoke", func(q *request, now time.Time) map[string]any {
		return map[string]any{"revoked_by": user, "revoked_at": now, "revoke_reason": reason}
	})
}
