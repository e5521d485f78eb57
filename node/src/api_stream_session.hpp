#pragma once
// Starting a stream on a connection whose HTTP request asked for the
// WebSocket upgrade (api_server.cpp hands the connection over).

#include <memory>

// GCC 12 at -O3 reports a false -Wnull-dereference inside Boost.Asio 1.74.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#endif
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include "api_stream.hpp"

namespace bauhinia::node::api_stream {

// Accepts the upgrade on `stream` (its executor is the connection's strand)
// and serves the stream until the client leaves, is cut off or the hub stops.
void start_stream(std::shared_ptr<StreamHub> hub, boost::beast::tcp_stream stream,
                  boost::beast::http::request<boost::beast::http::string_body> request,
                  StreamSpec spec, std::shared_ptr<StreamHub::Ticket> ticket);

}  // namespace bauhinia::node::api_stream
