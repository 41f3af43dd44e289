package main

import "github.com/balaidesa/balai/sdk"

var publicPages = []sdk.PageRoute{}
