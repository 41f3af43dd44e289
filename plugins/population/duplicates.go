package main

import (
	"cmp"
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
// keeping its message under the 4 MiB gRPC default between host and plugin
// (a group of village code and key is about 45 bytes on the wire).
var maxGroupsPerCall int64 = 60_000

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
	shared, n, err := sharedKeys(r)
	if err != nil {
		return 0, nil, err
	}
	all := make([]uint64, 0, len(shared))
	for k := range shared {
		all = append(all, k)
	}
	slices.Sort(all) // a stable order to page over
	page := sdk.PageOf(all, offset, limit)
	items := make([]duplicateGroup, 0, len(page))
	if len(page) > 0 {
		var members int64
		keys := make([]string, 0, len(page))
		var villages []string
		for _, k := range page {
			keys = append(keys, keyHex(k))
			for v, c := range shared[k] {
				members += c
				if !slices.Contains(villages, v) {
					villages = append(villages, v)
				}
			}
		}
		// Read as the caller may see them (the host masks and audits),
		// by village and key: the (tenant, dup_key) index finds them.
		recs, _, err := req.Records("residents").Query().Subtree().Where(sdk.FieldTenant, sdk.In, villages).
			Where("dup_key", sdk.In, keys).Where("status", sdk.Eq, StatusAlive).
			OrderBy(sdk.FieldTenant, false).OrderBy("name", false).Page(0, int(members)).Run(ctx)
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
		for _, k := range keys {
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

// sharedKeys finds the keys held by more than one living resident below
// the request's tenant, with the residents holding each per village, and
// counts the keyed residents. The keys are grouped by village and key, in
// runs of consecutive villages small enough for one answer each: every
// run reads its own range of the (tenant, ...) indexes, so the whole check
// reads the regency once whatever its size, and only keys are held in
// memory (16 bytes a resident: 15 MB for Kampar's 898,973), sorted, to
// find those that repeat across runs.
func sharedKeys(r *http.Request) (map[uint64]map[string]int64, int64, error) {
	req, ctx := sdk.From(r), r.Context()
	perVillage, err := req.Records("residents").Aggregate(ctx, sdk.Aggregation{GroupBy: []string{sdk.FieldTenant}, Subtree: true, Where: alive})
	if err != nil {
		return nil, 0, fmt.Errorf("counting the residents of %s per village: %w", req.Tenant, err)
	}
	// Runs of villages (in code order, as the aggregate answers them).
	type run struct {
		first, last string
		size        int64
	}
	var runs []run
	for _, g := range perVillage {
		v := keyString(g.Key[0])
		if len(runs) == 0 || runs[len(runs)-1].size+g.Count > maxGroupsPerCall {
			runs = append(runs, run{first: v})
		}
		runs[len(runs)-1].last = v
		runs[len(runs)-1].size += g.Count
	}
	type held struct {
		key     uint64
		village int32 // in villages
		count   int32
	}
	var all []held
	villages := make([]string, 0, len(perVillage))
	villageAt := map[string]int32{}
	var keyed int64
	src := req.Records("residents").Reveal(revealKeys)
	for i, ru := range runs {
		// A village larger than one answer is read in ranges of keys.
		parts := int(min(256, max(1, (ru.size+maxGroupsPerCall-1)/maxGroupsPerCall)))
		for part := range parts {
			where := append(slices.Clone(alive), sdk.Filter{Field: "dup_key", Op: sdk.NotNull},
				sdk.Filter{Field: sdk.FieldTenant, Op: sdk.Ge, Value: ru.first}, sdk.Filter{Field: sdk.FieldTenant, Op: sdk.Le, Value: ru.last})
			if part > 0 {
				where = append(where, sdk.Filter{Field: "dup_key", Op: sdk.Ge, Value: fmt.Sprintf("%02x", part*256/parts)})
			}
			if part < parts-1 {
				where = append(where, sdk.Filter{Field: "dup_key", Op: sdk.Lt, Value: fmt.Sprintf("%02x", (part+1)*256/parts)})
			}
			groups, err := src.Aggregate(ctx, sdk.Aggregation{GroupBy: []string{sdk.FieldTenant, "dup_key"}, Subtree: true, Where: where})
			if err != nil {
				return nil, 0, fmt.Errorf("grouping the keys of %s to %s (run %d of %d): %w", ru.first, ru.last, i+1, len(runs), err)
			}
			for _, g := range groups {
				k, ok := parseKey(g.Key[1])
				if !ok {
					continue
				}
				keyed += g.Count
				v := keyString(g.Key[0])
				at, seen := villageAt[v]
				if !seen {
					at = int32(len(villages))
					villages = append(villages, v)
					villageAt[v] = at
				}
				all = append(all, held{k, at, int32(g.Count)})
			}
		}
	}
	slices.SortFunc(all, func(a, b held) int { return cmp.Compare(a.key, b.key) })
	shared := map[uint64]map[string]int64{}
	for i := 0; i < len(all); {
		j, total := i, int64(0)
		for ; j < len(all) && all[j].key == all[i].key; j++ {
			total += int64(all[j].count)
		}
		if total > 1 {
			m := map[string]int64{}
			for _, h := range all[i:j] {
				m[villages[h.village]] += int64(h.count)
			}
			shared[all[i].key] = m
		}
		i = j
	}
	return shared, keyed, nil
}

// parseKey reads a key as the aggregate answers it (hex text).
func parseKey(v any) (uint64, bool) {
	s, ok := v.(string)
	if !ok || len(s) != dupKeyLen {
		return 0, false
	}
	k, err := strconv.ParseUint(s, 16, 64)
	return k, err == nil
}

// keyHex is the stored text of a key.
func keyHex(k uint64) string { return fmt.Sprintf("%0*x", dupKeyLen, k) }

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
