package main

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// A citizen proves who they are online with three things only they and
// the village should know together: NIK, KK and the mother's maiden name.
// NIK and KK are printed on many photocopies, so the mother's name carries
// most of the weight, and guessing it must stay slow.
//
// Two counters bound the guesses about one NIK in a lockWindow:
//
//   - maxFailures per client address: one caller gets five tries, then
//     waits. Keyed by the address the host saw, so that a stranger who
//     knows a neighbour's NIK cannot lock the neighbour out by guessing
//     from their own machine.
//   - maxFailuresPerNIK from all addresses together: a ceiling on the
//     guesses a botnet can make about one person. One address cannot
//     reach it alone (it stops at maxFailures), so locking a citizen out
//     takes maxFailuresPerNIK/maxFailures addresses, while guessing a
//     mother's name among thousands of common names stays hopeless.
//
// Every check takes a try from both counters before the identity is
// compared, in one guarded storage write (failures < limit), so that
// parallel guesses cannot slip past the limit between a read and a write;
// a check that matches gives its try back.
const (
	maxFailures       = 5
	maxFailuresPerNIK = 30
	lockWindow        = time.Hour
)

// anyAddress is the address of the per-NIK counter of all addresses.
const anyAddress = "*"

// verifyRequest is the body of POST /verify.
type verifyRequest struct {
	NIK        string `json:"nik"`
	KK         string `json:"kk"`
	MotherName string `json:"mother_name"`
	// ChildNIK, optional, asks for the facts of a registered child of the
	// resident's family, for a birth letter (childFacts in the answer).
	ChildNIK string `json:"child_nik,omitempty"`
}

// letterData is what a letter needs of a resident, and all /verify tells:
// never the KK or the mother's name, which the caller sent anyway.
type letterData struct {
	ID            string `json:"id"`
	NIK           string `json:"nik"`
	Name          string `json:"name"`
	Sex           string `json:"sex"`
	BirthPlace    string `json:"birth_place,omitempty"`
	BirthDate     string `json:"birth_date"`
	Religion      string `json:"religion,omitempty"`
	Occupation    string `json:"occupation,omitempty"`
	MaritalStatus string `json:"marital_status,omitempty"`
	Address       string `json:"address,omitempty"`
	RT            string `json:"rt,omitempty"`
	RW            string `json:"rw,omitempty"`
	Status        string `json:"status"`
	// Death is the recorded death of a deceased resident, MoveOut the
	// recorded move of one who moved away (nil when none is recorded),
	// and Child the registered child asked for by child_nik when it is in
	// the resident's family: what letters about life events print.
	Death   *lifeEvent  `json:"death,omitempty"`
	MoveOut *lifeEvent  `json:"move_out,omitempty"`
	Child   *childFacts `json:"child,omitempty"`
}

// attempt counts the checks of one NIK from one client address (or from
// all of them: anyAddress) in the current window; a stored record of the
// verify_failures collection.
type attempt struct {
	NIK      string `json:"nik"`
	Address  string `json:"address"`
	Failures int    `json:"failures"`
	Since    string `json:"since"` // RFC 3339, start of the current window
}

// identityMatches compares in constant time, so that the answer's timing
// does not tell a right KK from a right mother's name either.
func identityMatches(res *Resident, kk, motherName string) bool {
	kkOK := subtle.ConstantTimeCompare([]byte(res.KK), []byte(kk))
	want := foldName(res.MotherName)
	nameOK := subtle.ConstantTimeCompare([]byte(want), []byte(foldName(motherName)))
	return kkOK&nameOK == 1 && want != ""
}

// errNoMatch is the one answer for every kind of mismatch: unknown NIK,
// wrong KK, wrong mother's name, no mother's name on record.
var errNoMatch = sdk.Errorf(http.StatusNotFound, codeResidentNotFound, "no resident of this village matches this NIK, KK and mother's name")

func verifyResident(r *http.Request) (int, any, error) {
	var in verifyRequest
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	in.NIK, in.KK = strings.TrimSpace(in.NIK), strings.TrimSpace(in.KK)
	if len(in.NIK) != 16 || !digits(in.NIK) || len(in.KK) != 16 || !digits(in.KK) ||
		foldName(in.MotherName) == "" || input.Len(in.MotherName) > 200 || input.Len(in.ChildNIK) > 32 {
		return 0, nil, invalid(codeInvalidIdentity, "nik and kk are 16 digits each, mother_name is required (at most 200 characters), child_nik is at most 32 characters")
	}
	req := sdk.From(r)
	ctx := r.Context()
	// Counters store their windows in UTC, so that they compare as text.
	now := req.Now().UTC()
	tries, err := takeTry(r, in.NIK, now)
	if err != nil {
		return 0, nil, err
	}
	// The caller has no login: the register is read revealed (audited
	// with this purpose) to compare KK and mother's name, and answers only
	// letterData, whose NIK is the one the caller sent.
	rec, err := req.Records("residents").Reveal("check a citizen's identity (NIK, KK, mother's name)").GetBy(ctx, "nik", in.NIK)
	if err != nil && !errors.Is(err, sdk.ErrNotFound) {
		return 0, nil, err
	}
	var res Resident
	if rec != nil {
		if err := rec.Decode(&res); err != nil {
			return 0, nil, err
		}
	}
	if rec == nil || !identityMatches(&res, in.KK, in.MotherName) {
		return 0, nil, errNoMatch // the try stays taken
	}
	// A match gives its try back, and the caller is shown a person's data
	// without a login: keep a trace.
	b := req.Batch().Audit("residents.verified", rec.ID, nil)
	for _, id := range tries {
		b.Increment("verify_failures", id, map[string]float64{"failures": -1}, sdk.Filter{Field: "failures", Op: sdk.Gt, Value: 0})
	}
	err = b.Commit(ctx)
	if errors.Is(err, sdk.ErrConditionFailed) {
		// A counter restarted its window meanwhile: nothing to give
		// back there, but the read is recorded all the same.
		err = req.Batch().Audit("residents.verified", rec.ID, nil).Commit(ctx)
	}
	if err != nil {
		return 0, nil, fmt.Errorf("recording an identity check: %w", err)
	}
	out := letterData{
		ID: rec.ID, NIK: res.NIK, Name: res.Name, Sex: res.Sex, BirthPlace: res.BirthPlace, BirthDate: res.BirthDate,
		Religion: res.Religion, Occupation: res.Occupation, MaritalStatus: res.MaritalStatus,
		Address: res.Address, RT: res.RT, RW: res.RW, Status: res.Status,
	}
	// The facts of letters about life events come from the register
	// (lifeevents.go): the caller proved who they are, and the letter
	// prints these facts anyway.
	if res.Status == StatusDeceased || res.Status == StatusMoved {
		ev, err := readLifeEvents(ctx, req, res.NIK)
		if err != nil {
			return 0, nil, err
		}
		out.Death, out.MoveOut = ev.Death, ev.MoveOut
	}
	if child := strings.TrimSpace(in.ChildNIK); child != "" {
		if out.Child, err = childOf(ctx, req, res.KK, child); err != nil {
			return 0, nil, err
		}
	}
	return 200, out, nil
}

// takeTry takes one try about nik from the caller's address and from the
// NIK's ceiling, in one guarded write, and returns the two counters' ids.
// It answers 429 too_many_attempts when either counter is used up in its
// window: the guess is then never compared.
func takeTry(r *http.Request, nik string, now time.Time) ([]string, error) {
	req := sdk.From(r)
	ctx := r.Context()
	var ids []string
	var until time.Time
	for _, addr := range []string{req.ClientAddress, anyAddress} {
		id, since, err := counterFor(r, nik, addr, now)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
		if end := since.Add(lockWindow); end.After(until) {
			until = end
		}
	}
	b := req.Batch()
	b.Increment("verify_failures", ids[0], map[string]float64{"failures": 1}, sdk.Filter{Field: "failures", Op: sdk.Lt, Value: maxFailures})
	b.Increment("verify_failures", ids[1], map[string]float64{"failures": 1}, sdk.Filter{Field: "failures", Op: sdk.Lt, Value: maxFailuresPerNIK})
	err := b.Commit(ctx)
	if errors.Is(err, sdk.ErrConditionFailed) {
		// Retry-After is the rest of the lockout: the later of the two
		// windows' ends, so that the retry is never refused again for
		// the same reason.
		return nil, sdk.Errorf(http.StatusTooManyRequests, codeTooManyAttempts,
			"too many failed checks for this NIK: try again after %s, or ask at the village office", until.In(req.Location()).Format("15:04 MST")).
			WithRetryAfter(until.Sub(now))
	}
	if err != nil {
		return nil, fmt.Errorf("counting a verify try: %w", err)
	}
	return ids, nil
}

// counterFor returns the id of the counter of nik from addr, and the start
// of its window: it creates the counter on first use and starts a new
// window when the last one is over. Concurrent callers may race on both;
// the unique index and the version make exactly one of them win, and the
// others use the winner's record.
func counterFor(r *http.Request, nik, addr string, now time.Time) (string, time.Time, error) {
	coll := sdk.From(r).Records("verify_failures")
	ctx := r.Context()
	fresh := attempt{NIK: nik, Address: addr, Failures: 0, Since: now.Format(time.RFC3339)}
	for range 5 {
		recs, _, err := coll.Query().Where("nik", sdk.Eq, nik).Where("address", sdk.Eq, addr).Page(0, 1).Run(ctx)
		if err != nil {
			return "", time.Time{}, fmt.Errorf("reading verify tries: %w", err)
		}
		if len(recs) == 0 {
			rec, err := coll.Insert(ctx, fresh)
			if errors.Is(err, sdk.ErrDuplicate) {
				continue // someone else created it: read theirs
			}
			if err != nil {
				return "", time.Time{}, fmt.Errorf("creating a verify counter: %w", err)
			}
			pruneCounters(r, nik, now)
			return rec.ID, now, nil
		}
		var a attempt
		if err := recs[0].Decode(&a); err != nil {
			return "", time.Time{}, fmt.Errorf("decoding a verify counter: %w", err)
		}
		since, err := time.Parse(time.RFC3339, a.Since)
		if err == nil && now.Before(since.Add(lockWindow)) {
			return recs[0].ID, since, nil
		}
		_, err = coll.Update(ctx, recs[0].ID, recs[0].Version, fresh)
		if errors.Is(err, sdk.ErrConflict) || errors.Is(err, sdk.ErrNotFound) {
			continue // someone else restarted (or pruned) it at the same moment
		}
		if err != nil {
			return "", time.Time{}, fmt.Errorf("restarting a verify window: %w", err)
		}
		return recs[0].ID, now, nil
	}
	return "", time.Time{}, sdk.Errorf(http.StatusServiceUnavailable, codeBusy, "too many identity checks at once: try again")
}

// pruneCounters deletes a few counters of nik whose window is over: a
// counter holds a NIK and a client address, personal data kept no longer
// than the limit needs it. Best effort: a counter being restarted at the
// same moment keeps its newer version (the delete is versioned), and a
// failure only leaves the rows for the next prune.
func pruneCounters(r *http.Request, nik string, now time.Time) {
	coll := sdk.From(r).Records("verify_failures")
	ctx := r.Context()
	old, _, err := coll.Query().Where("nik", sdk.Eq, nik).Where("since", sdk.Lt, now.Add(-lockWindow).Format(time.RFC3339)).Page(0, 20).Run(ctx)
	if err != nil {
		sdk.Logf(ctx, "warn", "pruning verify counters: %v", err)
		return
	}
	for _, rec := range old {
		if err := coll.Delete(ctx, rec.ID, rec.Version); err != nil && !errors.Is(err, sdk.ErrConflict) && !errors.Is(err, sdk.ErrNotFound) {
			sdk.Logf(ctx, "warn", "pruning a verify counter: %v", err)
		}
	}
}
