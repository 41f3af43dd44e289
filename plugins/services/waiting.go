package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// maxWaitingOnline bounds the online requests of one resident that wait
// for a decision at the same time.
const maxWaitingOnline = 5

// waiting is a record of the online_waiting collection: how many online
// requests of one resident wait for a decision in a tenant. Submitting an
// online request takes a place with a guarded increment (waiting < limit)
// in the same batch as the request, and approving or rejecting it gives the
// place back in the batch of the decision: a count of the requests made
// before inserting would let parallel submissions all pass the check.
type waiting struct {
	NIK     string `json:"nik"`
	Waiting int    `json:"waiting"`
}

// waitingCounter returns the counter of a resident, creating it on first
// use with the online requests already waiting (those submitted before
// the counter existed). Parallel first uses race on the unique NIK; the
// losers use the winner's record.
func waitingCounter(ctx context.Context, req *sdk.Request, nik string) (*sdk.Record, error) {
	coll := req.Records("online_waiting")
	for range 3 {
		rec, err := coll.GetBy(ctx, "nik", nik)
		if err == nil || !errors.Is(err, sdk.ErrNotFound) {
			return rec, err
		}
		_, n, err := req.Records("requests").Query().Where("nik", sdk.Eq, nik).Where("channel", sdk.Eq, ChannelOnline).
			Where("state", sdk.Eq, StateSubmitted).Page(0, 1).WithTotal().Run(ctx)
		if err != nil {
			return nil, fmt.Errorf("counting waiting online requests: %w", err)
		}
		rec, err = coll.Insert(ctx, waiting{NIK: nik, Waiting: int(n)})
		if !errors.Is(err, sdk.ErrDuplicate) {
			return rec, err
		}
	}
	return nil, sdk.Errorf(http.StatusServiceUnavailable, codeBusy, "too many requests at once: try again")
}

// takeWaitingPlace adds to b the guarded increment that takes one of the
// resident's places; the batch then fails with condition_failed when all
// are taken (see errWaitingFull).
func takeWaitingPlace(b *sdk.Batch, counter *sdk.Record) {
	b.Increment("online_waiting", counter.ID, map[string]float64{"waiting": 1},
		sdk.Filter{Field: "waiting", Op: sdk.Lt, Value: maxWaitingOnline})
}

// waitingRetryAfter is the Retry-After of errWaitingFull. A place is freed
// only when the village decides one of the waiting requests, which no
// clock predicts; an hour is about how often an office works through its
// queue during opening hours, and keeps a citizen's app from retrying in
// a loop meanwhile.
const waitingRetryAfter = time.Hour

// errWaitingFull is the answer when a resident's places are all taken.
var errWaitingFull = sdk.Errorf(http.StatusTooManyRequests, codeTooManyRequests,
	"%d online requests for this resident are still waiting for the village: wait for them, or ask at the office", maxWaitingOnline).
	WithRetryAfter(waitingRetryAfter)

// releaseWaitingPlace adds to b the give-back of the place of q, an online
// request leaving the submitted state. Requests submitted before the
// counter existed hold no place in it when it was created after them, so
// an empty counter is left alone.
func releaseWaitingPlace(ctx context.Context, req *sdk.Request, b *sdk.Batch, q *request) error {
	if q.Channel != ChannelOnline || q.State != StateSubmitted {
		return nil
	}
	rec, err := req.Records("online_waiting").GetBy(ctx, "nik", q.NIK)
	if errors.Is(err, sdk.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading the waiting online requests: %w", err)
	}
	var w waiting
	if err := rec.Decode(&w); err != nil {
		return fmt.Errorf("decoding the waiting online requests: %w", err)
	}
	if w.Waiting > 0 {
		b.Increment("online_waiting", rec.ID, map[string]float64{"waiting": -1}, sdk.Filter{Field: "waiting", Op: sdk.Gt, Value: 0})
	}
	return nil
}
