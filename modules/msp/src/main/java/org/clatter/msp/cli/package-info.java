/**
 * The {@code clatter msp} commands: {@code listen} and {@code connect} relay stdin/stdout over one stream like
 * servald's {@code msp listen}/{@code msp connect}; {@code send-file} and {@code receive-file} move a file with a
 * progress bar. Until the node's control channel exists they run a node in the same process
 * ({@code --instance}, {@code --interface}, {@code --peer}).
 */
package org.clatter.msp.cli;
