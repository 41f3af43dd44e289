package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// resident is what the population module tells about a person, in the
// shape of its /residents items and /verify answer.
type resident struct {
	ID            string `json:"id"`
	NIK           string `json:"nik"`
	Name          string `json:"name"`
	Sex           string `json:"sex"`
	BirthPlace    string `json:"birth_place"`
	BirthDate     string `json:"birth_date"`
	Religion      string `json:"religion"`
	Occupation    string `json:"occupation"`
	MaritalStatus string `json:"marital_status"`
	Address       string `json:"address"`
	RT            string `json:"rt"`
	RW            string `json:"rw"`
	Status        string `json:"status"`
	// Death, MoveOut and Child come only with /verify's answer: the
	// recorded life events a letter prints (lifeevents.go).
	Death   *lifeEvent  `json:"death,omitempty"`
	MoveOut *lifeEvent  `json:"move_out,omitempty"`
	Child   *childFacts `json:"child,omitempty"`
}

// snapshot is the resident's data as the letter prints it, taken when the
// request is made: a later change in the register does not rewrite a
// letter already asked for, approved or issued.
type snapshot struct {
	ResidentID    string `json:"resident_id"`
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

// popError is a population answer that is not a success.
type popError struct {
	Status  int
	Code    sdk.Code
	Message string
	// RetryAfter is population's Retry-After, for a 429.
	RetryAfter time.Duration
}

// callPopulation calls a population route on behalf of the caller and
// decodes a 200 answer into out.
func callPopulation(ctx context.Context, req *sdk.Request, method, path string, q url.Values, body, out any) (*popError, error) {
	res, err := req.Call(ctx, "population", method, path, q, body)
	if err != nil {
		return nil, fmt.Errorf("calling population %s: %w", path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		var e struct {
			Error struct {
				Code    sdk.Code
				Message string
			} `json:"error"`
		}
		json.Unmarshal(data, &e)
		pe := &popError{Status: res.StatusCode, Code: e.Error.Code, Message: e.Error.Message}
		if secs, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil && secs > 0 {
			pe.RetryAfter = time.Duration(secs) * time.Second
		}
		return pe, nil
	}
	return nil, json.Unmarshal(data, out)
}

// unavailable turns an unexpected population answer into ours.
func (e *popError) unavailable() error {
	switch {
	case e.Code == popModuleNotEnabled:
		return sdk.Errorf(http.StatusUnprocessableEntity, codePopulationNotEnabled, "letters need the population module enabled in this village")
	case e.Status == http.StatusForbidden:
		return sdk.Errorf(http.StatusForbidden, sdk.CodeForbidden, "looking up the resident by NIK needs population.residents.read and population.residents.lookup here")
	case e.Status == http.StatusTooManyRequests:
		// population's lockout, passed on with its Retry-After (a
		// minute if population gave none: a 429 always carries one).
		wait := e.RetryAfter
		if wait <= 0 {
			wait = time.Minute
		}
		return sdk.Errorf(http.StatusTooManyRequests, e.Code, "%s", e.Message).WithRetryAfter(wait)
	}
	return sdk.Errorf(http.StatusServiceUnavailable, codePopulationUnavailable, "the population module answered %d %s", e.Status, e.Code)
}

// residentByNIK finds a resident of the request's village for an operator,
// with the operator's own permissions in the population module.
func residentByNIK(ctx context.Context, req *sdk.Request, nik string) (*resident, error) {
	var list sdk.ListOf[resident]
	pe, err := callPopulation(ctx, req, "GET", "/residents", url.Values{"nik": {nik}, "limit": {"1"}}, nil, &list)
	if err != nil {
		return nil, err
	}
	if pe != nil {
		return nil, pe.unavailable()
	}
	if len(list.Items) == 0 {
		return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeUnknownResident, "no resident with NIK %s in %s", maskNIK(nik), req.Tenant)
	}
	r := list.Items[0]
	r.NIK = nik // the operator may see it masked; services was given it in full
	return &r, nil
}

// residentByIdentity finds a resident for a citizen who proves who they
// are with NIK, KK and mother's name. Every mismatch is the same answer.
// childNIK, for a birth letter, asks for that child of the family too.
func residentByIdentity(ctx context.Context, req *sdk.Request, nik, kk, mother, childNIK string) (*resident, error) {
	var r resident
	body := map[string]string{"nik": nik, "kk": kk, "mother_name": mother}
	if childNIK != "" {
		body["child_nik"] = childNIK
	}
	pe, err := callPopulation(ctx, req, "POST", "/verify", nil, body, &r)
	if err != nil {
		return nil, err
	}
	switch {
	case pe == nil:
		return &r, nil
	case pe.Code == popResidentNotFound:
		return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeUnknownResident, "no resident of this village matches this NIK, KK and mother's name")
	case pe.Code == popInvalidIdentity:
		return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidIdentity, "%s", pe.Message)
	}
	return nil, pe.unavailable()
}

// codeNames caches population's code lists (religion, occupation...):
// they are fixed Dukcapil lists, so one successful fetch serves the
// process's life.
var codeNames struct {
	mu    sync.Mutex
	lists map[string]map[string]string
}

func populationCodes(ctx context.Context, req *sdk.Request) (map[string]map[string]string, error) {
	codeNames.mu.Lock()
	defer codeNames.mu.Unlock()
	if codeNames.lists != nil {
		return codeNames.lists, nil
	}
	var raw map[string][]struct{ Code, Name string }
	pe, err := callPopulation(ctx, req, "GET", "/codes", nil, nil, &raw)
	if err != nil {
		return nil, err
	}
	if pe != nil {
		return nil, pe.unavailable()
	}
	lists := map[string]map[string]string{}
	for field, codes := range raw {
		lists[field] = map[string]string{}
		for _, c := range codes {
			lists[field][c.Code] = c.Name
		}
	}
	codeNames.lists = lists
	return lists, nil
}

// snapshotOf writes the resident's coded fields out as names.
func snapshotOf(r *resident, codes map[string]map[string]string) snapshot {
	name := func(field, code string) string {
		if n, ok := codes[field][code]; ok {
			return n
		}
		return code
	}
	return snapshot{
		ResidentID: r.ID, Name: r.Name, Sex: r.Sex, BirthPlace: r.BirthPlace, BirthDate: r.BirthDate,
		Religion: name("religion", r.Religion), Occupation: name("occupation", r.Occupation),
		MaritalStatus: name("marital_status", r.MaritalStatus), Address: r.Address, RT: r.RT, RW: r.RW, Status: r.Status,
	}
}
