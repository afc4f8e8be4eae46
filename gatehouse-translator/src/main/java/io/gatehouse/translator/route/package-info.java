/**
 * HTTPRoute translation: {@link io.gatehouse.translator.route.HTTPRouteTranslator} is the entry
 * point; it attaches routes to listeners, translates rules (matches, filters, backends) and writes
 * route status. {@link io.gatehouse.translator.route.Hostnames} and
 * {@link io.gatehouse.translator.route.Precedence} hold the pure Gateway API rules for hostname
 * intersection and match precedence.
 */
@NullMarked
package io.gatehouse.translator.route;

import org.jspecify.annotations.NullMarked;
