/**
 * The admin API of standalone mode: {@link io.gatehouse.standalone.admin.AdminServer} serves, on
 * loopback only, what the {@link io.gatehouse.standalone.admin.StatusStore} holds: the loaded
 * objects with their computed statuses, the applied configuration and the errors.
 */
package io.gatehouse.standalone.admin;
