package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/balaidesa/balai/sdk"
)

// permDuplicates lets a regency or district see the residents registered
// twice across its villages (issue 11 item 11), with NIKs masked unless
// the caller also holds population.residents.read_personal.
const permDuplicates = "population.duplicates.read"

// One person registered in two villages under two NIKs is found by what a
// second registration repeats: the name, the birth date and the mother's
// name (the identity Dukcapil itself matches on, and POST /verify checks).
// Each resident stores dup_key, a hash of the three, folded as a clerk
// compares names (foldName: case, spacing, typographic variants), so that
// a regency finds equal keys with Aggregates over an index instead of
// comparing 900,000 residents with each other.

// dupKeyLen is the key's length in hex digits: 64 bits, so that two
// different people share a key with a chance of about 2e-8 in a regency
// of a million residents (n²/2⁶⁵), while a key stays short on the wire.
const dupKeyLen = 16

// dupKey is the duplicate check's key of a resident: the first 64 bits,
// in hex, of SHA-256 over the folded name, the birth date (YYYY-MM-DD) and
// the folded mother's name, separated by a unit separator (which
// validated names cannot hold). Empty when the name or the mother's name
// is empty: without the mother's name two namesakes born on one day would
// be taken for one person. The key is personal data (with a name and a
// birth date in hand, a list of mothers' names could be tried against it):
// the collection declares it Personal, and no answer shows it.
func dupKey(name, birthDate, motherName string) string {
	name, motherName = foldName(name), foldName(motherName)
	if name == "" || motherName == "" || birthDate == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(name + "\x1f" + birthDate + "\x1f" + motherName))
	return hex.EncodeToString(sum[:])[:dupKeyLen]
}

// maxGroupsPerCall bounds the groups one Aggregate of the check answers,
// keeping its message well under the 4 MiB gRPC default between host and
// plugin (a group is about 30 bytes).
var maxGroupsPerCall int64 = 50_000

// duplicateGroup is one person registered more than once: the residents
// sharing a key, with the villages they live in.
type duplicateGroup struct {
	Count    int            `json:"count"`
	Villages []string       `json:"villages"`
	Members  []residentView `json:"members"`
}

// revealKeys is the purpose the host records for the check's reads of
// dup_key (a hash of personal data), whoever asks.
const revealKeys = "find residents registered twice (same name, birth date and mother's name) across villages"

// duplicates answers GET /duplicates at a district, regency or province:
// the living residents below it who share a name, birth date and mother's
// name (compared folded), in groups, most villages first, paged by
// ?page=&limit= over the groups. Members are shown as GET /residents shows
// them to the caller (NIK and KK masked without read_personal; each full
// read audited by the host); the keys are read revealed, audited with the
// check's purpose. "unkeyed" lists the villages whose residents stored
// before the key existed have none yet (POST /duplicates/keys there
// derives them). Errors: 422 village_level at a village, 400 for bad paging.
func duplicates(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	if req.Level == sdk.Village {
		return 0, nil, invalid(codeVillageLevel, "the duplicate check compares villages: ask at a district or regency, not at village %s", req.Tenant)
	}
	offset, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	keys := req.Records("residents").Reveal(revealKeys)
	keyed := append(slices.Clone(alive), sdk.Filter{Field: "dup_key", Op: sdk.NotNull})
	n, err := countOf(keys.Aggregate(ctx, sdk.Aggregation{Subtree: true, Where: keyed}))
	if err != nil {
		return 0, nil, fmt.Errorf("counting the keyed residents of %s: %w", req.Tenant, err)
	}
	// The keys in ranges of their first two hex digits, each range small
	// enough for one answer: the database groups an index range, and only
	// keys held twice stay in memory.
	chunks := int(min(256, max(1, (n+maxGroupsPerCall-1)/maxGroupsPerCall)))
	shared := map[string]int64{}
	for i := range chunks {
		where := slices.Clone(keyed)
		if chunks > 1 {
			if i > 0 {
				where = append(where, sdk.Filter{Field: "dup_key", Op: sdk.Ge, Value: fmt.Sprintf("%02x", i*256/chunks)})
			}
			if i < chunks-1 {
				where = append(where, sdk.Filter{Field: "dup_key", Op: sdk.Lt, Value: fmt.Sprintf("%02x", (i+1)*256/chunks)})
			}
		}
		groups, err := keys.Aggregate(ctx, sdk.Aggregation{GroupBy: []string{"dup_key"}, Subtree: true, Where: where})
		if err != nil {
			return 0, nil, fmt.Errorf("grouping the keys of %s (part %d of %d): %w", req.Tenant, i+1, chunks, err)
		}
		for _, g := range groups {
			if k, ok := g.Key[0].(string); ok && g.Count > 1 {
				shared[k] = g.Count
			}
		}
	}
	all := make([]string, 0, len(shared))
	for k := range shared {
		all = append(all, k)
	}
	slices.Sort(all) // a stable order to page over
	page := all[min(offset, len(all)):min(offset+limit, len(all))]
	items := make([]duplicateGroup, 0, len(page))
	if len(page) > 0 {
		var members int64
		for _, k := range page {
			members += shared[k]
		}
		// Read as the caller may see them: the host masks and audits.
		recs, _, err := req.Records("residents").Query().Subtree().Where("dup_key", sdk.In, page).
			Where("status", sdk.Eq, StatusAlive).OrderBy(sdk.FieldTenant, false).OrderBy("name", false).
			Page(0, int(members)).Run(ctx)
		if err != nil {
			return 0, nil, fmt.Errorf("reading the residents registered twice in %s: %w", req.Tenant, err)
		}
		// Which record is in which group: from its key, which a caller
		// without read_personal got masked, so read again revealed by id.
		keyOf, err := dupKeysOf(r, recs, req.Can(permPersonal))
		if err != nil {
			return 0, nil, err
		}
		byKey := map[string]*duplicateGroup{}
		for i := range recs {
			v, err := view(&recs[i], req)
			if err != nil {
				return 0, nil, err
			}
			v.DupKey = ""
			k := keyOf[recs[i].ID]
			g := byKey[k]
			if g == nil {
				g = &duplicateGroup{}
				byKey[k] = g
			}
			g.Members = append(g.Members, v)
			g.Count++
			if !slices.Contains(g.Villages, v.Tenant) {
				g.Villages = append(g.Villages, v.Tenant)
			}
		}
		for _, k := range page {
			if g := byKey[k]; g != nil && g.Count > 1 {
				items = append(items, *g)
			}
		}
		// Registrations in two villages first: they are what a regency
		// alone can see.
		slices.SortStableFunc(items, func(a, b duplicateGroup) int { return len(b.Villages) - len(a.Villages) })
	}
	unkeyed, err := unkeyedVillages(r)
	if err != nil {
		return 0, nil, err
	}
	return 200, map[string]any{"tenant": req.Tenant, "items": items, "total": len(all), "checked": n, "unkeyed": unkeyed}, nil
}

// dupKeysOf answers the key of each of recs by id: from recs when they
// were read unmasked, else read again revealed (audited with the check's
// purpose).
func dupKeysOf(r *http.Request, recs []sdk.Record, unmasked bool) (map[string]string, error) {
	out := make(map[string]string, len(recs))
	decode := func(rec *sdk.Record) error {
		var k struct {
			DupKey string `json:"dup_key"`
		}
		if err := rec.Decode(&k); err != nil {
			return fmt.Errorf("decoding resident %s: %w", rec.ID, err)
		}
		out[rec.ID] = k.DupKey
		return nil
	}
	if unmasked {
		for i := range recs {
			if err := decode(&recs[i]); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	for part := range slices.Chunk(recs, 1000) {
		ids := make([]string, len(part))
		for i, rec := range part {
			ids[i] = rec.ID
		}
		revealed, _, err := sdk.From(r).Records("residents").Reveal(revealKeys).Query().Subtree().
			Where(sdk.FieldID, sdk.In, ids).Page(0, len(ids)).Run(r.Context())
		if err != nil {
			return nil, fmt.Errorf("reading the keys of %d residents: %w", len(ids), err)
		}
		for i := range revealed {
			if err := decode(&revealed[i]); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// villageCount is the number of residents of a village.
type villageCount struct {
	Tenant string `json:"tenant"`
	Count  int64  `json:"count"`
}

// unkeyedVillages counts, per village, the living residents with a
// mother's name and no dup_key: stored before the key existed.
func unkeyedVillages(r *http.Request) ([]villageCount, error) {
	where := append(slices.Clone(alive), sdk.Filter{Field: "dup_key", Op: sdk.IsNull}, sdk.Filter{Field: "mother_name", Op: sdk.NotNull})
	groups, err := sdk.From(r).Records("residents").Aggregate(r.Context(), sdk.Aggregation{GroupBy: []string{sdk.FieldTenant}, Subtree: true, Where: where})
	if err != nil {
		return nil, fmt.Errorf("counting residents without a duplicate key: %w", err)
	}
	out := make([]villageCount, 0, len(groups))
	for _, g := range groups {
		out = append(out, villageCount{Tenant: keyString(g.Key[0]), Count: g.Count})
	}
	return out, nil
}

func countOf(groups []sdk.Group, err error) (int64, error) {
	var n int64
	for _, g := range groups {
		n += g.Count
	}
	return n, err
}

// deriveKeys answers POST /duplicates/keys at a village: it derives the
// duplicate check's key of the village's residents stored before the key
// existed (or, with ?all=true, of every resident, after a change of
// foldName), reading their names revealed with that purpose, and answers
// {"keyed": n, "checked": m}. Writes in batches of 500, each atomic; a
// resident changed meanwhile answers 409 conflict (run it again: what is
// keyed stays keyed).
func deriveKeys(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	all, _ := strconv.ParseBool(r.URL.Query().Get("all"))
	src := req.Records("residents").Reveal("derive the duplicate check's key (a hash of name, birth date and mother's name)")
	var keyed, checked int
	last := ""
	for {
		q := src.Query().Where("mother_name", sdk.NotNull, nil).OrderBy(sdk.FieldID, false).Page(0, 500)
		if !all {
			q = q.Where("dup_key", sdk.IsNull, nil)
		}
		if last != "" {
			q = q.Where(sdk.FieldID, sdk.Gt, last)
		}
		recs, _, err := q.Run(r.Context())
		if err != nil {
			return 0, nil, fmt.Errorf("reading residents to key in %s: %w", req.Tenant, err)
		}
		if len(recs) == 0 {
			break
		}
		b := req.Batch()
		n := 0
		for _, rec := range recs {
			var res Resident
			if err := rec.Decode(&res); err != nil {
				return 0, nil, fmt.Errorf("decoding resident %s: %w", rec.ID, err)
			}
			checked++
			if k := dupKey(res.Name, res.BirthDate, res.MotherName); k != res.DupKey {
				b.Update("residents", rec.ID, rec.Version, map[string]any{"dup_key": nilIfEmpty(k)})
				n++
			}
		}
		if n > 0 {
			b.Audit("residents.keyed", req.Tenant, map[string]any{"records": n})
			if err := b.Commit(r.Context()); errors.Is(err, sdk.ErrConflict) {
				return 0, nil, sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "a resident changed meanwhile: run it again (%d keyed so far)", keyed)
			} else if err != nil {
				return 0, nil, fmt.Errorf("storing duplicate keys in %s: %w", req.Tenant, err)
			}
		}
		keyed += n
		last = recs[len(recs)-1].ID
	}
	return 200, map[string]any{"tenant": req.Tenant, "keyed": keyed, "checked": checked}, nil
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
