package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// Order states. An order is new when placed, and ends completed or
// cancelled.
const (
	StateNew       = "new"
	StateConfirmed = "confirmed"
	StateShipped   = "shipped"
	StateCompleted = "completed"
	StateCancelled = "cancelled"
)

// Limits of one order: enough for a household's shopping, small enough
// that one buyer cannot empty a village's shelves in a single request.
const (
	maxLines      = 20
	maxQty        = 100
	maxPlaceTries = 4
)

// Order is an order as stored. Lines keep the price and names at the time
// of the order: later changes to a product do not change what was bought.
type Order struct {
	Code         string      `json:"code"`
	Number       string      `json:"number"`
	State        string      `json:"state"`
	BuyerName    string      `json:"buyer_name"`
	Phone        string      `json:"phone"`
	Address      string      `json:"address,omitempty"`
	Items        []OrderLine `json:"items"`
	Total        int64       `json:"total"`
	Quantity     int64       `json:"quantity"`
	PlacedAt     time.Time   `json:"placed_at"`
	ConfirmedAt  *time.Time  `json:"confirmed_at,omitempty"`
	ShippedAt    *time.Time  `json:"shipped_at,omitempty"`
	CompletedAt  *time.Time  `json:"completed_at,omitempty"`
	CancelledAt  *time.Time  `json:"cancelled_at,omitempty"`
	CancelReason string      `json:"cancel_reason,omitempty"`
}

// OrderLine is one product of an order.
type OrderLine struct {
	ProductID string    `json:"product_id"`
	Name      string    `json:"name"`
	Unit      string    `json:"unit,omitempty"`
	Seller    sellerRef `json:"seller"`
	Price     int64     `json:"price"`
	Qty       int64     `json:"qty"`
	Subtotal  int64     `json:"subtotal"`
}

type orderInput struct {
	BuyerName string     `json:"buyer_name"`
	Phone     string     `json:"phone"`
	Address   string     `json:"address"`
	Items     []itemLine `json:"items"`
}

type itemLine struct {
	ProductID string `json:"product_id"`
	Qty       int64  `json:"qty" range:"invalid_qty"`
}

// validate checks the buyer and the lines, and merges lines of the same
// product. Lines come back sorted by product id: every order then takes
// its products' row locks in the same order, so two orders sharing
// products queue instead of deadlocking.
func (in *orderInput) validate() ([]itemLine, error) {
	var err error
	if in.BuyerName, err = cleanName("buyer_name", codeInvalidBuyerName, in.BuyerName, 100, true); err != nil {
		return nil, err
	}
	phone, ok := NormalizePhone(in.Phone)
	if !ok {
		return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidPhone, "phone must be an Indonesian mobile number such as 0812-3456-7890 or +62 812 3456 7890")
	}
	in.Phone = phone
	if in.Address, err = cleanText("address", codeInvalidAddress, in.Address, 300, false); err != nil {
		return nil, err
	}
	if len(in.Items) == 0 || len(in.Items) > maxLines {
		return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidItems, "an order has 1 to %d items", maxLines)
	}
	qty := map[string]int64{}
	for i, it := range in.Items {
		id := strings.TrimSpace(it.ProductID)
		if id == "" || len(id) > 64 {
			return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidItems, "item %d needs a product_id", i+1)
		}
		if it.Qty < 1 || it.Qty > maxQty {
			return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidQty, "item %d: qty must be from 1 to %d", i+1, maxQty)
		}
		qty[id] += it.Qty
	}
	lines := make([]itemLine, 0, len(qty))
	for id, q := range qty {
		if q > maxQty {
			return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidQty, "product %s: %d in all, at most %d per order", id, q, maxQty)
		}
		lines = append(lines, itemLine{ProductID: id, Qty: q})
	}
	slices.SortFunc(lines, func(a, b itemLine) int { return strings.Compare(a.ProductID, b.ProductID) })
	return lines, nil
}

// codeAlphabet is Crockford's base32: no I, L, O or U to misread when a
// buyer reads the code out over the phone.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// codeLen characters of 5 bits each: 100 random bits, beyond guessing.
const codeLen = 20

func newCode() string {
	b := make([]byte, codeLen)
	_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
	for i := range b {
		b[i] = codeAlphabet[b[i]&31]
	}
	return string(b)
}

// normalizeCode accepts a code as a person may type it back: lower case,
// with spaces or dashes.
func normalizeCode(s string) (string, bool) {
	s = strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(s))
	if len(s) != codeLen {
		return "", false
	}
	for _, c := range s {
		if !strings.ContainsRune(codeAlphabet, c) {
			return "", false
		}
	}
	return s, true
}

// newNumber is the order's number for people: the day it was placed and
// five random characters ("261125-7K3QX"). Unlike the code it is no secret:
// operators quote it, and events name the order by it. at is in the
// village's zone (Request.Now), so that the date is the buyer's day, not
// the server's.
func newNumber(at time.Time) string {
	return at.Format("060102") + "-" + newCode()[:5]
}

// eventPayload is what other modules hear of an order: its number, not its
// code (which opens the order's page), and nothing about the buyer.
type eventPayload struct {
	Number   string   `json:"number"`
	State    string   `json:"state"`
	From     string   `json:"from,omitempty"`
	Total    int64    `json:"total"`
	Quantity int64    `json:"quantity"`
	Products []string `json:"products"`
}

func payload(o *Order, from string) eventPayload {
	ev := eventPayload{Number: o.Number, State: o.State, From: from, Total: o.Total, Quantity: o.Quantity, Products: []string{}}
	for _, l := range o.Items {
		ev.Products = append(ev.Products, l.ProductID)
	}
	return ev
}

// placeOrder takes a buyer's order at a village. Stock is reserved in the
// same transaction as the order is written: each product's stock goes down
// by the quantity only where it is at least that quantity, so two buyers of
// the last item cannot both have it.
func placeOrder(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	if err := notAVillage(req, "orders"); err != nil {
		return 0, nil, err
	}
	var in orderInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	return place(r, in)
}

// place takes the order in at the request's village: POST /orders and the
// public checkout page.
func place(r *http.Request, in orderInput) (int, any, error) {
	req := sdk.From(r)
	if err := notAVillage(req, "orders"); err != nil {
		return 0, nil, err
	}
	lines, err := in.validate()
	if err != nil {
		return 0, nil, err
	}
	ids := make([]string, len(lines))
	for i, l := range lines {
		ids[i] = l.ProductID
	}
	var sellers map[string]sellerRef
	for try := 1; ; try++ {
		recs, _, err := req.Records("products").Query().Where(sdk.FieldID, sdk.In, ids).Page(0, len(ids)).Run(r.Context())
		if err != nil {
			return 0, nil, err
		}
		products := map[string]Product{}
		for i := range recs {
			var p Product
			if err := recs[i].Decode(&p); err != nil {
				return 0, nil, err
			}
			products[recs[i].ID] = p
		}
		now := req.Now()
		order := &Order{Code: newCode(), Number: newNumber(now), State: StateNew, BuyerName: in.BuyerName, Phone: in.Phone, Address: in.Address, PlacedAt: now.UTC()}
		for _, l := range lines {
			p, ok := products[l.ProductID]
			switch {
			case !ok:
				return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeUnknownProduct, "no product %s in %s: an order holds products of the village it is placed in", l.ProductID, req.Tenant)
			case !p.Listed || p.Price < 1:
				return 0, nil, sdk.Errorf(http.StatusConflict, codeProductUnavailable, "%s (%s) is not for sale now", p.Name, l.ProductID)
			case p.Stock < l.Qty:
				return 0, nil, sdk.Errorf(http.StatusConflict, codeOutOfStock, "%s (%s): %d left, %d asked", p.Name, l.ProductID, max(p.Stock, 0), l.Qty)
			}
			order.Items = append(order.Items, OrderLine{ProductID: l.ProductID, Name: p.Name, Unit: p.Unit, Seller: sellerRef{ID: p.SellerID},
				Price: p.Price, Qty: l.Qty, Subtotal: p.Price * l.Qty})
			order.Total += p.Price * l.Qty
			order.Quantity += l.Qty
		}
		if sellers == nil {
			var sellerIDs []string
			for _, l := range order.Items {
				if !slices.Contains(sellerIDs, l.Seller.ID) {
					sellerIDs = append(sellerIDs, l.Seller.ID)
				}
			}
			if sellers, err = sellersByID(r.Context(), req, sellerIDs); err != nil {
				return 0, nil, err
			}
		}
		b := req.Batch()
		for i, l := range order.Items {
			if s, ok := sellers[l.Seller.ID]; ok {
				order.Items[i].Seller = s
			}
			// The guards hold the price and listing read above too: an
			// order is never taken at a price that changed meanwhile.
			b.Increment("products", l.ProductID, map[string]float64{"stock": -float64(l.Qty)},
				sdk.Filter{Field: "stock", Op: sdk.Ge, Value: l.Qty},
				sdk.Filter{Field: "listed", Op: sdk.Eq, Value: true},
				sdk.Filter{Field: "price", Op: sdk.Eq, Value: l.Price})
		}
		// The buyer's name, phone and address are personal data: the
		// order's placing is recorded (number only) with the order.
		placed := b.Insert("orders", order)
		b.Publish(eventPlaced, payload(order, "")).Audit("orders.placed", order.Number, nil)
		err = b.Commit(r.Context())
		// A failed guard says another order or an edit came first: read
		// the products again, which tells out of stock from a new price.
		if (errors.Is(err, sdk.ErrConditionFailed) || errors.Is(err, sdk.ErrDuplicate)) && try < maxPlaceTries {
			continue
		}
		if errors.Is(err, sdk.ErrConditionFailed) {
			return 0, nil, sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "the products kept changing while the order was placed: try again")
		}
		if err != nil {
			return 0, nil, err
		}
		pl, err := loadPlaces(r)
		if err != nil {
			return 0, nil, err
		}
		rec, full := &placed.Record, req.Can(permOrdersPersonal)
		if !full {
			// Storage answers an insert with the values sent, unmasked:
			// the buyer's page is read back, masked by the host like any
			// read, as the order's link will show it.
			if rec, err = req.Records("orders").Get(r.Context(), placed.Record.ID); err != nil {
				return 0, nil, fmt.Errorf("reading back order %s: %w", order.Number, err)
			}
			if order, err = decodeOrder(rec); err != nil {
				return 0, nil, err
			}
		}
		return http.StatusCreated, newOrderView(rec, order, pl, full), nil
	}
}

// orderView is an order as a caller sees it, from the record as the host
// returned it: without marketplace.orders.read_personal (the public, who
// reach it by its code, and viewers) the host masks the buyer's name and
// phone ("Si********h", "+62**********2"); the address is left out
// altogether, since a buyer needs it no more than someone who found the
// link; Masked says so.
type orderView struct {
	ID      string  `json:"id"`
	Village Village `json:"village"`
	Order
	Masked    bool      `json:"masked"`
	UpdatedAt time.Time `json:"updated_at"`
}

// newOrderView shows o, decoded from rec as storage returned it to a
// caller who holds the personal permission (full) or not.
func newOrderView(rec *sdk.Record, o *Order, pl *places, full bool) orderView {
	v := orderView{ID: rec.ID, Village: pl.village(rec.Tenant), Order: *o, UpdatedAt: rec.UpdatedAt}
	if !full {
		v.Address, v.Masked = "", true
	}
	return v
}

func decodeOrder(rec *sdk.Record) (*Order, error) {
	var o Order
	if err := rec.Decode(&o); err != nil {
		return nil, fmt.Errorf("decoding order %s: %w", rec.ID, err)
	}
	return &o, nil
}

// getOrder is the buyer's page of an order, found by its code.
func getOrder(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	notFound := sdk.Errorf(http.StatusNotFound, codeOrderNotFound, "no order with this code in %s", req.Tenant)
	code, ok := normalizeCode(r.PathValue("code"))
	if !ok {
		return 0, nil, notFound
	}
	pl, err := loadPlaces(r)
	if err != nil {
		return 0, nil, err
	}
	q := req.Records("orders").Query().Where("code", sdk.Eq, code).Page(0, 1)
	if ok, err := pl.scope(r, q); err != nil || !ok {
		if err == nil {
			err = notFound
		}
		return 0, nil, err
	}
	recs, _, err := q.Run(r.Context())
	if err != nil {
		return 0, nil, err
	}
	if len(recs) == 0 {
		return 0, nil, notFound
	}
	o, err := decodeOrder(&recs[0])
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, newOrderView(&recs[0], o, pl, req.Can(permOrdersPersonal)), nil
}

var states = []string{StateNew, StateConfirmed, StateShipped, StateCompleted, StateCancelled}

// listOrders is the operators' list, newest first. Buyers' names and
// phones are shown in full only to those who hold permOrdersPersonal (the
// host masks them for others, and audits each list that shows them).
func listOrders(r *http.Request) (int, any, error) {
	offset, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	params := r.URL.Query()
	q := req.Records("orders").Query().Page(offset, limit).WithTotal().OrderBy("placed_at", true)
	if s := params.Get("state"); s != "" {
		if !slices.Contains(states, s) {
			return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidState, "state must be one of %s", strings.Join(states, ", "))
		}
		q.Where("state", sdk.Eq, s)
	}
	full := req.Can(permOrdersPersonal)
	if s := params.Get("phone"); s != "" {
		// A search by phone number is a search for a person.
		if !full {
			return 0, nil, sdk.Errorf(http.StatusForbidden, codeForbiddenFilter, "searching orders by phone needs %s: it would reveal a number that is masked for you", permOrdersPersonal)
		}
		phone, ok := NormalizePhone(s)
		if !ok {
			return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidPhone, "phone must be an Indonesian mobile number")
		}
		q.Where("phone", sdk.Eq, phone)
	}
	if s := params.Get("number"); s != "" {
		q.Where("number", sdk.Eq, strings.ToUpper(strings.TrimSpace(s)))
	}
	pl, err := loadPlaces(r)
	if err != nil {
		return 0, nil, err
	}
	if ok, err := pl.scope(r, q); err != nil || !ok {
		return http.StatusOK, sdk.ListOf[orderView]{Items: []orderView{}}, err
	}
	recs, total, err := q.Run(r.Context())
	if err != nil {
		return 0, nil, err
	}
	items := make([]orderView, 0, len(recs))
	for i := range recs {
		o, err := decodeOrder(&recs[i])
		if err != nil {
			return 0, nil, err
		}
		items = append(items, newOrderView(&recs[i], o, pl, full))
	}
	if params.Get("phone") != "" {
		// A search for a person, audited whatever it finds.
		if err := req.Batch().Audit("orders.search_personal", req.Tenant, map[string]any{"fields": []string{"phone"}, "orders": len(items)}).Commit(r.Context()); err != nil {
			return 0, nil, err
		}
	}
	return http.StatusOK, sdk.ListOf[orderView]{Items: items, Total: total}, nil
}

// transitions are the moves of an order's life: the states an action
// starts from, and where it leads. A shipped order cannot be cancelled: the
// goods have left, and a return is settled outside the mall.
var transitions = map[string]struct {
	from []string
	to   string
}{
	"confirm":  {[]string{StateNew}, StateConfirmed},
	"ship":     {[]string{StateConfirmed}, StateShipped},
	"complete": {[]string{StateShipped}, StateCompleted},
	"cancel":   {[]string{StateNew, StateConfirmed}, StateCancelled},
}

// nextState is the state an action leads to from state, or an error.
func nextState(state, action string) (string, error) {
	t, ok := transitions[action]
	if !ok {
		return "", sdk.Errorf(http.StatusNotFound, sdk.CodeNotFound, "no action %s", action)
	}
	if !slices.Contains(t.from, state) {
		return "", sdk.Errorf(http.StatusConflict, codeInvalidTransition, "the order is %s: it cannot be %s (only from %s)", state, t.to, strings.Join(t.from, " or "))
	}
	return t.to, nil
}

var stateEvents = map[string]string{
	StateConfirmed: eventConfirmed, StateShipped: eventShipped, StateCompleted: eventCompleted, StateCancelled: eventCancelled,
}

// transition moves an order on. Each move is one transaction: the state,
// its time, the stock returned on a cancel, the event and the audit entry
// commit together or not at all, and only from the version read, so two
// operators clicking at once move it once.
func transition(action string) func(r *http.Request) (int, any, error) {
	return func(r *http.Request) (int, any, error) {
		req := sdk.From(r)
		if err := notAVillage(req, "orders"); err != nil {
			return 0, nil, err
		}
		var body struct {
			Reason string `json:"reason"`
		}
		if err := sdk.BindOptional(r, &body); err != nil {
			return 0, nil, err
		}
		return move(r, action, body.Reason)
	}
}

// move takes the order {code} on by action (confirm, ship, complete,
// cancel), with a reason for a cancel: the API's POST /orders/{code}/{action}
// and the console's order page.
func move(r *http.Request, action, reasonText string) (int, any, error) {

	req := sdk.From(r)
	if err := notAVillage(req, "orders"); err != nil {
		return 0, nil, err
	}
	reason, err := cleanText("reason", codeInvalidReason, reasonText, 300, false)
	if err != nil {
		return 0, nil, err
	}
	if reason != "" && action != "cancel" {
		return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidReason, "only a cancel takes a reason")
	}
	code, ok := normalizeCode(r.PathValue("code"))
	notFound := sdk.Errorf(http.StatusNotFound, codeOrderNotFound, "no order with this code in %s", req.Tenant)
	if !ok {
		return 0, nil, notFound
	}
	for try := 1; ; try++ {
		rec, err := req.Records("orders").GetBy(r.Context(), "code", code)
		if errors.Is(err, sdk.ErrNotFound) {
			return 0, nil, notFound
		}
		if err != nil {
			return 0, nil, err
		}
		o, err := decodeOrder(rec)
		if err != nil {
			return 0, nil, err
		}
		from := o.State
		to, err := nextState(from, action)
		if err != nil {
			return 0, nil, err
		}
		now := req.Now().UTC()
		o.State = to
		patch := map[string]any{"state": to, to + "_at": now}
		switch to {
		case StateConfirmed:
			o.ConfirmedAt = &now
		case StateShipped:
			o.ShippedAt = &now
		case StateCompleted:
			o.CompletedAt = &now
		case StateCancelled:
			o.CancelledAt, o.CancelReason = &now, reason
			patch["cancel_reason"] = reason
		}
		b := req.Batch()
		moved := b.Update("orders", rec.ID, rec.Version, patch)
		if to == StateCancelled {
			// Lines are sorted by product id, as when the stock was
			// taken: the same lock order as placing an order.
			for _, l := range o.Items {
				b.Increment("products", l.ProductID, map[string]float64{"stock": float64(l.Qty)})
			}
		}
		b.Publish(stateEvents[to], payload(o, from)).Audit("orders."+action, rec.ID, map[string]string{"number": o.Number, "from": from, "to": to})
		err = b.Commit(r.Context())
		if errors.Is(err, sdk.ErrConflict) && try < 3 {
			continue // read it again: the other click's state decides
		}
		if errors.Is(err, sdk.ErrConflict) {
			return 0, nil, sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "the order changed meanwhile: read it again")
		}
		if err != nil {
			return 0, nil, err
		}
		pl, err := loadPlaces(r)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, newOrderView(&moved.Record, o, pl, req.Can(permOrdersPersonal)), nil
	}
}
