/**
 * Status vocabulary: {@link io.gatehouse.translator.status.ConditionType} and
 * {@link io.gatehouse.translator.status.Reason} carry the exact Gateway API strings;
 * {@link io.gatehouse.translator.status.Conditions} builds fabric8 conditions from them.
 */
@NullMarked
package io.gatehouse.translator.status;

import org.jspecify.annotations.NullMarked;
