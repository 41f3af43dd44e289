package main

// The population count. Events are delivered at least once, possibly out of
// order, and those from before the module was enabled are never seen, so
// the count is never adjusted by +1/-1: on each event the plugin asks the
// population module how many residents of the village are alive now, and
// stores that. Redelivered, reordered or missed events then cannot leave it
// wrong: the last recount wins, and it is correct.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// noPopulation says the population module cannot give a count here: not
// loaded, not enabled in the tenant, or refusing. The count stays as it was.
type noPopulation struct {
	status int
	code   sdk.Code
}

func (e *noPopulation) Error() string {
	return fmt.Sprintf("the population module gives no count here (%d %s)", e.status, e.code)
}

func isNoPopulation(err error) bool {
	var e *noPopulation
	return errors.As(err, &e)
}

// errRace says another writer changed the record between the read and the
// write of a recount.
var errRace = errors.New("the record changed during the recount")

// countLiving asks the population module for the number of living
// residents of the request's tenant. Its GET /count is public, so the call
// works from an event handler too, where there is no user.
func countLiving(ctx context.Context, req *sdk.Request) (int64, error) {
	res, err := req.Call(ctx, "population", http.MethodGet, "/count", nil, nil)
	if err != nil {
		return 0, fmt.Errorf("calling the population module: %w", err)
	}
	var c struct {
		Total *int64 `json:"total"`
	}
	err = sdk.ReadAnswer(res, &c)
	var e *sdk.Error
	switch {
	case err == nil && (c.Total == nil || *c.Total < 0):
		return 0, fmt.Errorf("the population module answered an unexpected count")
	case err == nil:
		return *c.Total, nil
	case !errors.As(err, &e):
		return 0, fmt.Errorf("the population module's answer: %w", err)
	case e.Status >= 400 && e.Status < 500 && e.Status != http.StatusRequestTimeout && e.Status != http.StatusTooManyRequests:
		// 404 module_not_enabled or plugin_not_found, 403: asking again
		// will not help; keep the last count.
		return 0, &noPopulation{status: e.Status, code: e.Code}
	}
	// 503 plugin_unavailable, 504, 500: worth trying again later.
	return 0, fmt.Errorf("the population module answered %d %s", e.Status, e.Code)
}

// recountOnce counts and stores the count on the record as it was read
// (rec nil: there is no record yet). The count is taken after the read and
// written only if the record is still at that version, so a slower recount
// can never overwrite a newer one. On errRace the returned profile still
// holds the count just taken.
func recountOnce(ctx context.Context, req *sdk.Request, rec *sdk.Record, s *stored) (*stored, error) {
	// The host's clock when the request or event arrived, before
	// counting: everything committed by then is in the count.
	at := req.Now().UTC()
	n, err := countLiving(ctx, req)
	if err != nil {
		return nil, err
	}
	out := *s
	out.Population, out.CountedAt = n, &at
	w := map[string]any{"population": n, "counted_at": at}
	if rec == nil {
		w["slot"] = slotValue
		_, err = req.Records(collection).Insert(ctx, w)
	} else {
		_, err = req.Records(collection).Update(ctx, rec.ID, rec.Version, w)
	}
	if errors.Is(err, sdk.ErrConflict) || errors.Is(err, sdk.ErrDuplicate) {
		return &out, errRace
	}
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// coalesceAfter is how long after an event a stored count must have been
// taken for the event to be skipped: events recorded in a burst, or
// redelivered after a stop, then cost one recount instead of one each. The
// margin covers the time between an event being recorded and its
// transaction committing.
const coalesceAfter = 5 * time.Second

// includes reports whether the stored count was taken well after an event
// recorded at, and so already includes it.
func includes(s *stored, at time.Time) bool {
	return s.CountedAt != nil && s.CountedAt.After(at.Add(coalesceAfter))
}

// onPopulationEvent recounts the village's living residents.
func onPopulationEvent(ctx context.Context, ev sdk.Event) error {
	req := sdk.FromContext(ctx)
	if req.Level != sdk.Village {
		// Profiles, and so counts, are kept per village; residents are
		// registered in villages.
		return nil
	}
	for range maxWriteAttempts {
		rec, s, err := load(ctx, req)
		if err != nil {
			return err
		}
		if includes(s, ev.At) {
			return nil
		}
		_, err = recountOnce(ctx, req, rec, s)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, errRace):
			continue
		case isNoPopulation(err):
			sdk.Logf(ctx, "info", "%s in %s: population count kept at %d: %v", ev.Name, req.Tenant, s.Population, err)
			return nil
		default:
			return err // redelivered later, with backoff
		}
	}
	return fmt.Errorf("the profile of %s kept changing during the recount", req.Tenant)
}
