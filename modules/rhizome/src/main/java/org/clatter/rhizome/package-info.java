/**
 * Rhizome bundles: {@link org.clatter.rhizome.Manifest}, {@link org.clatter.rhizome.BundleKeys},
 * {@link org.clatter.rhizome.Bar}, {@link org.clatter.rhizome.PayloadCipher},
 * {@link org.clatter.rhizome.PayloadHash} and the {@link org.clatter.rhizome.RhizomeStore}.
 * Formats: {@code ../shared/specs/serval-wire.md} §9.
 */
package org.clatter.rhizome;
