/** HTTPS transport for Clacks (JDK HttpsServer and HttpClient) and PEM/TLS loading (not exported). */
package org.clatter.clacks.internal;
