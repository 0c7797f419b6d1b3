//! Running the HTTP server with graceful shutdown.

use std::time::Duration;

use danchu_db::Db;

use crate::config::Config;

/// Serves until SIGINT/SIGTERM, then stops accepting, lets running requests finish
/// and closes the database.
pub async fn serve(db: Db, config: &Config, banner: Option<String>) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        anyhow::anyhow!(
            "DANCHU_DATA_DIR: không tạo được thư mục {}: {e}",
            config.data_dir.display()
        )
    })?;
    let state = danchu_web::AppState::new(db.clone(), config.web()).await?;
    let app = danchu_web::router(state.clone());
    let flusher = danchu_web::spawn_background(&state);
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| anyhow::anyhow!("DANCHU_ADDR: không mở được {}: {e}", config.addr))?;
    let local = listener.local_addr()?;
    tracing::info!(addr = %local, backend = ?db.backend(), "danchu listening");
    if let Some(b) = banner {
        println!("{b}");
    }
    // Housekeeping: expired sessions are removed every hour.
    let purge_db = db.clone();
    let purger = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Err(e) = danchu_db::sessions::purge_expired(&purge_db).await {
                tracing::warn!(error = %e, "session purge failed");
            }
            if let Err(e) = danchu_db::sessions::purge_throttle(&purge_db).await {
                tracing::warn!(error = %e, "throttle purge failed");
            }
        }
    });
    danchu_web::server::serve(listener, app, config.conn.clone(), shutdown_signal()).await;
    purger.abort();
    // Views counted in memory since the last flush are written before the database closes.
    flusher.stop().await;
    tracing::info!("shutting down: requests finished, closing database");
    db.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown signal received");
}
