package main

import "github.com/balaidesa/balai/sdk"

var consolePages = []sdk.PageRoute{}
