package main

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// A citizen proves who they are online with three things only they and
// the village should know together: NIK, KK and the mother's maiden name.
// NIK and KK are printed on many photocopies, so the mother's name carries
// most of the weight, and guessing it must stay slow: after maxFailures
// wrong answers for one NIK, that NIK is locked for lockWindow.
const (
	maxFailures = 5
	lockWindow  = time.Hour
)

// verifyRequest is the body of POST /verify.
type verifyRequest struct {
	NIK        string `json:"nik"`
	KK         string `json:"kk"`
	MotherName string `json:"mother_name"`
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
}

// attempt counts the failed identity checks of one NIK in a village.
type attempt struct {
	NIK      string `json:"nik"`
	Failures int    `json:"failures"`
	Since    string `json:"since"` // RFC 3339, start of the current window
}

// normalizeName makes "  siti   AMINAH " and "Siti Aminah" the same name.
func normalizeName(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// identityMatches compares in constant time, so that the answer's timing
// does not tell a right KK from a right mother's name either.
func identityMatches(res *Resident, kk, motherName string) bool {
	kkOK := subtle.ConstantTimeCompare([]byte(res.KK), []byte(kk))
	want := normalizeName(res.MotherName)
	nameOK := subtle.ConstantTimeCompare([]byte(want), []byte(normalizeName(motherName)))
	return kkOK&nameOK == 1 && want != ""
}

// errNoMatch is the one answer for every kind of mismatch: unknown NIK,
// wrong KK, wrong mother's name, no mother's name on record.
var errNoMatch = sdk.Errorf(http.StatusNotFound, "resident_not_found", "no resident of this village matches this NIK, KK and mother's name")

func verifyResident(r *http.Request) (int, any, error) {
	var in verifyRequest
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	in.NIK, in.KK = strings.TrimSpace(in.NIK), strings.TrimSpace(in.KK)
	if len(in.NIK) != 16 || !digits(in.NIK) || len(in.KK) != 16 || !digits(in.KK) ||
		strings.TrimSpace(in.MotherName) == "" || input.Len(in.MotherName) > 200 {
		return 0, nil, sdk.Errorf(422, "invalid_identity", "nik and kk are 16 digits each and mother_name is required (at most 200 characters)")
	}
	req := sdk.From(r)
	ctx := r.Context()
	now := time.Now().UTC()
	att, err := req.Records("verify_attempts").GetBy(ctx, "nik", in.NIK)
	if err != nil && !sdk.IsNotFound(err) {
		return 0, nil, err
	}
	var a attempt
	if att != nil {
		if err := att.Decode(&a); err != nil {
			return 0, nil, err
		}
		since, _ := time.Parse(time.RFC3339, a.Since)
		if a.Failures >= maxFailures && now.Before(since.Add(lockWindow)) {
			return 0, nil, sdk.Errorf(http.StatusTooManyRequests, "too_many_attempts",
				"too many failed checks for this NIK: try again after %s UTC, or ask at the village office", since.Add(lockWindow).Format("15:04"))
		}
	}
	rec, err := req.Records("residents").GetBy(ctx, "nik", in.NIK)
	if err != nil && !sdk.IsNotFound(err) {
		return 0, nil, err
	}
	var res Resident
	if rec != nil {
		if err := rec.Decode(&res); err != nil {
			return 0, nil, err
		}
	}
	if rec == nil || !identityMatches(&res, in.KK, in.MotherName) {
		if err := recordFailure(r, att, &a, in.NIK, now); err != nil {
			return 0, nil, err
		}
		return 0, nil, errNoMatch
	}
	// The caller is shown a person's data without a login: keep a trace.
	if _, err := req.Batch().Audit("residents.verified", rec.ID, nil).Commit(ctx); err != nil {
		return 0, nil, err
	}
	return 200, letterData{
		ID: rec.ID, NIK: res.NIK, Name: res.Name, Sex: res.Sex, BirthPlace: res.BirthPlace, BirthDate: res.BirthDate,
		Religion: res.Religion, Occupation: res.Occupation, MaritalStatus: res.MaritalStatus,
		Address: res.Address, RT: res.RT, RW: res.RW, Status: res.Status,
	}, nil
}

// recordFailure counts a failed check against the NIK, starting a new
// window when the last one is over. Concurrent failures may race on the
// first insert; the loser counts on the winner's record instead.
func recordFailure(r *http.Request, att *sdk.Record, a *attempt, nik string, now time.Time) error {
	coll := sdk.From(r).Records("verify_attempts")
	ctx := r.Context()
	fresh := attempt{NIK: nik, Failures: 1, Since: now.Format(time.RFC3339)}
	if att == nil {
		_, err := coll.Insert(ctx, fresh)
		if !sdk.IsDuplicate(err) {
			return err
		}
		if att, err = coll.GetBy(ctx, "nik", nik); err != nil {
			return err
		}
		_, err = coll.Increment(ctx, att.ID, map[string]float64{"failures": 1})
		return err
	}
	since, _ := time.Parse(time.RFC3339, a.Since)
	if now.After(since.Add(lockWindow)) {
		_, err := coll.Update(ctx, att.ID, att.Version, fresh)
		if sdk.IsConflict(err) {
			// Someone else restarted the window at the same moment.
			_, err = coll.Increment(ctx, att.ID, map[string]float64{"failures": 1})
		}
		return err
	}
	_, err := coll.Increment(ctx, att.ID, map[string]float64{"failures": 1})
	return err
}
